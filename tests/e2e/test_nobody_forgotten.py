"""Issue 17, the dispatch half: nobody forgotten before dispatch (one team-chat alarm, then
the digests), operators hear what became of the seekers they entered, and an offer's days
chosen per offer."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import (
    anna_and_oleh,
    enter_contact,
    enter_maria,
    hand_back,
    offer_to_anna,
    ready,
    scalar,
)


def texts_in(team: Team, chat_id: int, needle: str) -> list[str]:
    return [m.text for m in team.fake.chat(chat_id).bot_messages if needle in (m.text or "")]


ALARM = "Nobody has dispatched #1"


async def test_one_alarm_after_six_counted_hours_then_the_digests(team: Team) -> None:
    """Entered at 18:00 (team zone UTC, quiet 21:00-08:00): three hours count before the
    night, three after it, so the alarm comes at 11:00 the next day, not at midnight."""
    await anna_and_oleh(team)
    await team.run_jobs()  # 09:00: everyone's digest clock starts
    team.clock.advance(hours=9)  # 18:00
    await team.run_jobs()
    await enter_maria(team, team.fake.user(301, "Oleh"))
    await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))

    team.clock.advance(hours=6)  # midnight: six hours on the wall, three counted
    await team.run_jobs()
    team.clock.advance(hours=10, minutes=59)  # 10:59: 2 h 59 min after the night
    await team.run_jobs()
    assert texts_in(team, team.group.id, ALARM) == []

    team.clock.advance(minutes=1)  # 11:00
    await team.run_jobs()
    alarm = await team.fake.wait_for(team.group.id, lambda m: ALARM in (m.text or ""))
    assert alarm.text == ("⏰ Nobody has dispatched #1 Maria (F, Russian, Podil): waiting longer "
                          "than 6 hours (quiet hours not counted).")
    assert alarm.buttons == [["Open #1"]]
    assert "+380" not in alarm.text
    seq = team.fake.seq
    await team.admin.press(alarm, "Open #1")  # the screen, shown in the group without details
    screen = await team.fake.wait_for(team.group.id, lambda m: "#1" in (m.text or ""), after=seq)
    assert "+380" not in screen.text

    team.clock.advance(hours=2)  # 13:00: a digest slot
    await team.run_jobs()
    digest = await team.admin.wait_reply(contains="Dispatch digest")
    assert "Waiting for dispatch longer than 6 h (1)\n#1 Maria (F, Russian, Podil)" in digest.text
    team.clock.advance(hours=4)  # 17:00: still waiting, still listed; never a second alarm
    await team.run_jobs()
    assert len(texts_in(team, team.admin.id, "Waiting for dispatch longer than 6 h")) == 2
    team.clock.advance(days=2)
    await team.run_jobs()
    assert len(texts_in(team, team.group.id, ALARM)) == 1
    assert await scalar(team, "select count(*) from audit_log where action='undispatched_alarm'") == 1


async def test_a_seeker_handed_back_after_the_alarm_is_raised_again(team: Team) -> None:
    """Alarmed at 15:00, then taken and handed back at 15:30: the hand-back starts a new
    wait, and when nobody took them for six more counted hours (5 1/2 before the night, 1/2
    after it) the team chat hears of them again. A lapsed offer does not start a wait: no
    third alarm. (The simulator's month found seekers handed back or reassigned after their
    one alarm, unheld for days and named nowhere.)"""
    anna, _, card = await ready(team)  # 09:00
    team.clock.advance(hours=6)
    await team.run_jobs()
    await team.fake.wait_for(team.group.id, lambda m: ALARM in (m.text or ""))
    team.clock.advance(minutes=30)
    offer = await offer_to_anna(team, anna, card)
    seq = team.fake.seq
    await anna.press(offer, "Yes")
    await hand_back(anna, await anna.wait_reply(contains="+380441234567", after=seq),
                    "Moved to Lviv")
    card = await team.fake.wait_for(team.group.id, lambda m: "Handed back: Moved" in (m.text or ""))

    team.clock.advance(hours=16, minutes=59)  # 08:29 the next day
    await team.run_jobs()
    assert len(texts_in(team, team.group.id, ALARM)) == 1
    seq = team.fake.seq
    team.clock.advance(minutes=1)  # 08:30
    await team.run_jobs()
    again = await team.fake.wait_for(team.group.id, lambda m: ALARM in (m.text or ""), after=seq)
    assert again.text.startswith("⏰ Nobody has dispatched #1 Maria (F, Russian, Podil)")

    team.clock.advance(minutes=30)  # offered again; the offer lapses unanswered
    await offer_to_anna(team, anna, card)
    team.clock.advance(days=2)
    await team.run_jobs()
    assert await scalar(team, "select status from contacts") == "new"
    assert len(texts_in(team, team.group.id, ALARM)) == 2
    assert await scalar(team, "select count(*) from audit_log where action='undispatched_alarm'") == 2


async def test_a_contact_dispatched_in_time_raises_no_alarm(team: Team) -> None:
    anna, _, card = await ready(team)
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    await anna.press(offer, "Yes")
    team.clock.advance(days=1)
    await team.run_jobs()
    assert texts_in(team, team.group.id, "Nobody has dispatched") == []


async def test_an_operators_digest_tells_what_became_of_their_three_seekers(team: Team) -> None:
    anna, oper = await anna_and_oleh(team)
    await team.run_jobs()  # 09:00: Oleh's digest clock starts
    team.clock.advance(minutes=5)
    await enter_maria(team, oper)
    await enter_contact(oper, "Lena Petrova", "+380441234568", "Podil")
    await enter_contact(oper, "Olena Shevchenko", "+380441234569", "Podil")
    cards = {}
    for n in (1, 2, 3):
        cards[n] = await team.fake.wait_for(team.group.id,
                                            lambda m, n=n: (m.text or "").startswith(f"#{n}"))
    seq = team.fake.seq
    await team.admin.press(cards[1], "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach Maria", after=seq)
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    await anna.press(details, "Reached")
    details = await anna.wait_reply(contains="Stage: reached")
    await anna.press(details, "Met")
    await anna.wait_reply(contains="Stage: met")
    await team.admin.press(cards[2], "Close…")
    closing = await team.fake.wait_for(team.group.id, lambda m: "Spam" in str(m.buttons))
    await team.admin.press(closing, "Spam")
    seq = team.fake.seq
    await team.admin.press(cards[3], "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach Olena", after=seq)
    await anna.press(offer, "No")

    team.clock.advance(hours=4)  # 13:05
    await team.run_jobs()
    digest = await oper.wait_reply(contains="The seekers you entered")
    assert "#1 Maria (F, Russian, Podil) — offered → accepted → reached → met" in digest.text
    assert "#2 Lena (F, Russian, Podil) — closed (spam)" in digest.text
    assert "#3 Olena (F, Russian, Podil) — offered → back in dispatch" in digest.text
    assert "+380" not in digest.text

    team.clock.advance(hours=4)  # 17:00: nothing new since, so nothing is sent
    await team.run_jobs()
    assert len(texts_in(team, oper.id, "The seekers you entered")) == 1
    assert "/notify" in (await oper.ask("/help", contains="Commands:")).text
    await oper.ask("/notify realtime", contains="Saved: realtime")


async def test_an_offer_for_five_days(team: Team) -> None:
    anna, _, card = await ready(team)
    await team.admin.press(card, "Offer for… days")
    days = await team.fake.wait_for(team.group.id, lambda m: "5 days" in str(m.buttons))
    assert days.buttons[0] == ["1 day", "2 days", "3 days", "5 days", "7 days"]
    await team.admin.press(days, "5 days")
    picks = await team.fake.wait_for(team.group.id,
                                     lambda m: any("Anna (" in b for r in m.buttons for b in r))
    seq = team.fake.seq
    await team.admin.press(picks, "Anna (")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    assert "in the next 5 days?" in offer.text
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    assert "please reach them by" in details.text
    assert "Dec 1" in details.text or "1 Dec" in details.text or "01.12" in details.text, details.text
    assert await scalar(team, "select days from offers") == 5

    team.clock.advance(days=4, hours=23)
    await team.run_jobs()
    assert texts_in(team, anna.id, "Update needed") == []
    team.clock.advance(hours=1)
    await team.run_jobs()
    await anna.wait_reply(contains="Update needed")


async def test_the_teams_default_days_and_forged_days_refused(team: Team) -> None:
    anna, _, card = await ready(team)
    await team.admin.ask("/matching offer_days 3", contains="Offers: 3 days to reach the seeker")
    for data in ("od:1:4", "of:1:2:4", "of:1:2:30"):
        answer = await team.admin.press_data(card, data)
        assert answer.text == "That does not look right; please try again.", data
    assert (await anna.press_data(card, "od:1:5")).text == "This button is not for you."
    assert await scalar(team, "select count(*) from offers") == 0
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    assert "in the next 3 days?" in offer.text
