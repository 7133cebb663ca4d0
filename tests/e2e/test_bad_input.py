"""Input that used to crash a handler (or leave a press unanswered) gets its own clear answer
through Telegram: superscript digits, numbers past any range, dates past the calendar, zone
names that are folders or too long, button ids past the database's integer, and a stage
press on a record that a merge handed over."""


import pytest

from domain.contacts import Status
from domain.numbers import DB_INT_MAX
from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_contact, ready, scalar, until
from views.callbacks import OfferTo, Stage

MAP_USAGE = "Send: /map 12 Podil (the contact number, then a known area)."
TARGET_USAGE = "Send: /target Anna 8 (meetings per 30 days, at most 1000; 0 removes it)."
REPORT_USAGE = ("Send /report (last 7 days), /report 30 (last 30 days) or "
                "/report 2026-11-01 2026-11-30.")
ZONE_USAGE = "That is not a time zone name. Send one like /timezone Europe/Kyiv (region/city)."
MATCHING_REFUSAL = "That does not look right; please try again."


@pytest.mark.parametrize(("command", "answer"), [
    ("/timezone Europe", ZONE_USAGE),
    ("/timezone " + "x" * 300, ZONE_USAGE),
    ("/report ²", REPORT_USAGE),
    ("/report 9999-12-31 9999-12-31", REPORT_USAGE),
    ("/report 99999999999999999999", REPORT_USAGE),
    ("/target Anna ²", TARGET_USAGE),
    ("/target Anna 99999999999999999999", TARGET_USAGE),
    ("/map ² Podil", MAP_USAGE),
    ("/map 99999999999999999999 Podil", MAP_USAGE),
    ("/matching tries ²", MATCHING_REFUSAL),
    ("/matching fairness_days ³", MATCHING_REFUSAL),
])
async def test_typed_numbers_and_names_get_a_clear_answer(team: Team, command: str,
                                                          answer: str) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    reply = await team.admin.ask(command)
    assert reply.text.split("\n\n")[0] == answer
    assert await scalar(team, "select timezone from members") is None


async def test_forged_button_ids_past_the_database_integer_are_answered(team: Team) -> None:
    anna, _, card = await ready(team)
    for data in (f"offer:{DB_INT_MAX + 1}:1", f"offer:1:{2 ** 64}", f"card:hold:{10 ** 30}",
                 f"stage:{2 ** 63}:reached", f"ans:{2 ** 70}:1"):
        answer = await team.admin.press_data(card, data)
        assert answer.text == "This button is out of date or invalid.", data
    big = OfferTo(contact_id=DB_INT_MAX, member_id=DB_INT_MAX).pack()  # in range: just unknown
    assert (await team.admin.press_data(card, big)).text.startswith("Not found")
    assert await scalar(team, "select count(*) from offers") == 0


async def test_a_stage_press_on_a_record_a_merge_handed_over(team: Team) -> None:
    anna, oper, _ = await ready(team)
    seq = team.fake.seq
    await enter_contact(oper, "Maria Ivanova", "+380 50 999 99 99", "Podil", source="Web form",
                        done="Saved as #2")
    card2 = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2 ")
                                     and "Possible duplicate of #1" in m.text, after=seq)
    seq = team.fake.seq
    await team.admin.press(card2, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380509999999", after=seq)
    card2 = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2 ")
                                     and "Accepted by Anna" in m.text, after=seq)
    seq = team.fake.seq
    await team.admin.press(card2, "Merge with #1")
    choices = await team.fake.wait_for(
        team.group.id, lambda m: m.has_button("Merge, newest values"), after=seq)
    await team.admin.press(choices, "Merge, newest values")
    await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 ")
                             and "Accepted by Anna" in m.text, after=seq)
    seq = team.fake.seq
    answer = await anna.press_data(details, Stage(contact_id=1, stage=Status.REACHED).pack())
    assert answer.text == "Saved: reached"
    shown = await anna.wait_reply(contains="Stage: reached", after=seq)
    assert shown.text.splitlines()[0] == "#1 Maria Ivanova"
    assert await scalar(team, "select status from contacts where id = 1") == "reached"


async def test_csv_files_in_other_encodings_are_read_or_named(team: Team) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    leads = "ФИО,Телефон,Город\nМария Иванова,+380441234567,Подол\n"
    await team.admin.send_document(leads.encode("koi8-r"), "koi8.csv", mime_type="text/csv")
    reply = await team.admin.wait_reply()
    assert reply.text == (
        "I cannot read the letters of this file: it is not in UTF-8, UTF-16 or UTF-32 (with a "
        "byte order mark) or Windows-1251. Save it as CSV UTF-8 (Excel: Save As → “CSV UTF-8 "
        "(Comma delimited)”; LibreOffice: character set “Unicode (UTF-8)”) and send it again.")
    await team.admin.send_document(leads.encode("utf-16"), "unicode.csv", mime_type="text/csv")
    summary = await team.admin.wait_reply(contains="Import of unicode.csv")
    assert summary.text.startswith("Import of unicode.csv: 1 imported")
    assert await scalar(team, "select name from contacts") == "Мария Иванова"


async def test_handled_update_ids_are_forgotten_after_a_week(team: Team) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    await team.admin.ask("/help", contains="Commands:")
    # an update that changed nothing is recorded as its handler ends, just after the answer
    await until(lambda: scalar(team, "select count(*) from processed_updates"), 2)
    team.clock.advance(days=6)
    await team.run_jobs()
    assert await scalar(team, "select count(*) from processed_updates") == 2
    await team.admin.ask("/help", contains="Commands:")
    await until(lambda: scalar(team, "select count(*) from processed_updates"), 3)
    team.clock.advance(days=1, hours=1)
    await team.run_jobs()
    assert await scalar(team, "select count(*) from processed_updates") == 1
