"""Duplicates through Telegram: a known seeker entered again becomes a touch; a similar one is
shown on the card with Merge / Not a duplicate; merge, undo, two multipliers, /duplicates and
the periodic check."""

from sqlalchemy import text

from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_contact, offer_to_anna, ready, scalar, set_profile
from views.callbacks import Dup


def card_of(team: Team, contact_id: int, needle: str, after: int):  # type: ignore[no-untyped-def]
    return team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith(
        f"#{contact_id} ") and needle in (m.text or ""), after=after)


async def test_the_same_seeker_entered_again_is_a_touch_and_everyone_is_told(team: Team) -> None:
    anna, oper, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    await anna.press(offer, "Yes")
    seq = team.fake.seq
    reply = await enter_contact(oper, "Мария Иванова", "+380 (44) 123-45-67", "Podil", source="Web form", done="Already known")
    assert reply.text.startswith("Already known as #1: this was added to that contact")
    await team.drain()
    notice = await team.fake.wait_for(team.group.id, lambda m: "Already known" in (m.text or ""),
                                      after=seq)
    assert "matches #1 Maria (F, Russian, Podil) (same phone)" in notice.text
    told = await anna.wait_reply(contains="got in touch again", after=seq)
    assert "#1" in told.text
    await card_of(team, 1, "Got in touch again: 1×", seq)
    assert await scalar(team, "select count(*) from contacts") == 1
    assert await scalar(team, "select count(*) from contact_touches") == 1


async def test_a_similar_contact_is_flagged_merged_and_the_merge_undone(team: Team) -> None:
    _, oper, _ = await ready(team)
    seq = team.fake.seq
    await enter_contact(oper, "Иванова Мария", "+380 50 999 99 99", "Podil", source="Web form", done="Saved as #2")
    card2 = await card_of(team, 2, "Possible duplicate of #1 (same name, same area)", seq)
    assert ["Merge with #1", "Not a duplicate of #1"] in card2.buttons
    card1 = await card_of(team, 1, "Possible duplicate of #2", seq)
    assert ["Merge with #2", "Not a duplicate of #2"] in card1.buttons
    assert "+380" not in card2.text  # privacy: the reasons, not the details

    answer = await oper.press(card2, "Merge with #1")  # an operator is not a dispatcher
    assert answer.text == "This button is not for you."
    forged = Dup(action="merge", suspect_id=1, contact_id=3).pack()  # not this pair's card
    assert (await team.admin.press_data(card2, forged)).text.startswith("Not found")
    garbled = Dup(action="explode", suspect_id=1, contact_id=2).pack()
    assert (await team.admin.press_data(card2, garbled)).text == \
        "This button is out of date or invalid."
    seq = team.fake.seq
    answer = await team.admin.press(card2, "Merge with #1")
    assert answer.text == "Choose how to merge #2 into #1."
    choices = await team.fake.wait_for(team.group.id, lambda m: m.has_button("Merge, newest values"),
                                       after=seq)
    assert choices.buttons == [["Merge, newest values"], ["Merge, keep #1's values"], ["« Back"]]
    seq = team.fake.seq
    stale = choices.button_data("Merge, keep #1's values")
    answer = await team.admin.press(choices, "Merge, keep #1's values")
    assert answer.text == "Merged #2 into #1."
    merged = await card_of(team, 2, "Merged into #1", seq)
    assert merged.buttons == [["Undo merge"]] and "Status: merged" in merged.text
    assert await scalar(team, "select name from contacts where id = 1") == "Maria Ivanova"
    assert await scalar(team, "select merged_into from contacts where id = 2") == 1
    again = await team.admin.press_data(choices, stale)  # a stale double tap
    assert "no longer available" in again.text

    seq = team.fake.seq
    answer = await team.admin.press(merged, "Undo merge")
    assert answer.text == "Merge undone: #1 and #2 are separate again."
    card2 = await card_of(team, 2, "Possible duplicate of #1", seq)
    assert "Status: waiting for dispatch" in card2.text
    seq = team.fake.seq
    assert (await team.admin.press(card2, "Not a duplicate of #1")).text == "Noted: not a duplicate."
    card2 = await card_of(team, 2, "Status: waiting", seq)
    assert "Possible duplicate" not in card2.text
    assert await scalar(team, "select status from duplicate_suspects") == "dismissed"
    async with team.db.connect() as conn:
        actions = (await conn.execute(text(
            "select action from audit_log where entity='contact' and entity_id=2 order by id"
        ))).scalars().all()
    assert actions == ["create", "merged_into", "unmerge", "not_duplicate"]


async def test_two_multipliers_hear_and_the_dispatcher_chooses_who_keeps_it(team: Team) -> None:
    anna, oper, card = await ready(team)
    olga = team.fake.user(202, "Olga", username="olga_m")
    await team.invite(olga, "Multiplier")
    await set_profile(team, olga, "Russian", "Podil")
    offer = await offer_to_anna(team, anna, card)
    await anna.press(offer, "Yes")
    seq = team.fake.seq
    await enter_contact(oper, "Maria Ivanova", "+380 50 999 99 99", "Podil", source="Web form", done="Saved as #2")
    card2 = await card_of(team, 2, "Possible duplicate of #1", seq)
    seq = team.fake.seq
    await team.admin.press(card2, "Offer to Olga")
    await olga.press(await olga.wait_reply(contains="Can you reach", after=seq), "Yes")
    card2 = await card_of(team, 2, "Accepted by Olga", seq)

    seq = team.fake.seq
    await team.admin.press(card2, "Merge with #1")
    choices = await team.fake.wait_for(team.group.id, lambda m: m.has_button("Keep with Olga"),
                                       after=seq)
    assert choices.buttons == [["Keep with Anna"], ["Keep with Olga"], ["« Back"]]
    seq = team.fake.seq
    await team.admin.press(choices, "Keep with Olga")
    await card_of(team, 1, "Accepted by Olga", seq)
    await team.drain()
    lost = await anna.wait_reply(contains="were merged", after=seq)
    assert "gave the contact to Olga" in lost.text and "no longer need to reach" in lost.text
    kept = await olga.wait_reply(contains="were merged", after=seq)
    assert "which stays with you" in kept.text
    assert await scalar(team, "select assignee_id from contacts where id = 1") == \
        await scalar(team, "select id from members where tg_user_id = 202")


async def test_an_open_offer_on_the_merged_away_record_is_withdrawn_with_notice(team: Team) -> None:
    anna, oper, _ = await ready(team)
    seq = team.fake.seq
    await enter_contact(oper, "Maria Ivanova", "+380 50 999 99 99", "Podil", source="Web form", done="Saved as #2")
    card2 = await card_of(team, 2, "Possible duplicate of #1", seq)
    seq = team.fake.seq
    await team.admin.press(card2, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    card2 = await card_of(team, 2, "Offered to Anna", seq)
    seq = team.fake.seq
    await team.admin.press(card2, "Merge with #1")
    choices = await team.fake.wait_for(team.group.id, lambda m: m.has_button("Merge, newest values"),
                                       after=seq)
    await team.admin.press(choices, "Merge, newest values")
    await card_of(team, 2, "Merged into #1", seq)
    card1 = await card_of(team, 1, "Source: Web form", seq)  # the newest value won
    assert "Possible duplicate" not in card1.text
    await team.drain()
    withdrawn = await team.fake.wait_for(anna.id, lambda m: m.message_id == offer.message_id
                                         and "withdrawn" in (m.text or ""), after=seq)
    assert "#2 turned out to be a duplicate of #1" in withdrawn.text and withdrawn.buttons == []
    assert await scalar(team, "select status from offers") == "withdrawn"


async def test_duplicates_lists_pending_suspects_and_the_job_finds_missed_ones(team: Team) -> None:
    _, oper, _ = await ready(team)
    seq = team.fake.seq
    await enter_contact(oper, "Maria Ivanova", "+380 50 999 99 99", "Podil", source="Web form", done="Saved as #2")
    await card_of(team, 2, "Possible duplicate of #1", seq)
    async with team.db.begin() as conn:  # as if intake had missed it (e.g. rows from before)
        await conn.execute(text("delete from duplicate_suspects"))
        await conn.execute(text("update contacts set dup_checked_at = null"))
    listed = await team.admin.ask("/duplicates", contains="No possible duplicates")
    assert listed.buttons == []

    seq = team.fake.seq
    await team.run_jobs()
    await team.fake.wait_for(team.group.id, lambda m: "found 1 more possible duplicate" in (
        m.text or ""), after=seq)
    assert await scalar(team, "select contact_id || '~' || other_id || ':' || reasons "
                              "from duplicate_suspects") == "2~1:same_name,same_area"
    listed = await team.admin.ask("/duplicates", contains="Possible duplicates")
    assert "#2 Maria (F, Russian, Podil) ~ #1 Maria (F, Russian, Podil): same name, same area" \
        in listed.text
    assert listed.buttons == [["Open #2", "Open #1"]]
    await team.run_jobs()  # each contact is checked once: nothing new
    assert await scalar(team, "select count(*) from duplicate_suspects") == 1
