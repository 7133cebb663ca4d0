"""Auto-dispatch end to end: the bot offers by itself, cascades on a No and on a lapse, hands
the contact to the dispatchers with its history, and stops when a dispatcher steps in."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import auto_on, enter_contact, scalar


async def test_cascade_on_decline_and_expiry_then_hand_over_with_history(team: Team) -> None:
    anna, olga, oper = await auto_on(team)
    seq = team.fake.seq
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    first = await anna.wait_reply(contains="Can you reach Maria (F, Russian, Podil)", after=seq)
    card = await team.fake.wait_for(
        team.group.id, lambda m: "Offered to Anna" in (m.text or "") and "auto-dispatch, try 1 of 2" in m.text,
        after=seq)

    seq = team.fake.seq
    await anna.press(first, "No")
    second = await olga.wait_reply(contains="Can you reach Maria", after=seq)
    assert second.buttons == [["Yes", "No"]]
    await team.fake.wait_for(team.group.id, lambda m: m.message_id == card.message_id
                             and "Offered to Olga" in (m.text or "") and "try 2 of 2" in m.text, after=seq)

    team.clock.advance(hours=24)  # Olga lets it lapse
    seq = team.fake.seq
    await team.run_jobs()
    notice = await team.fake.wait_for(team.group.id, lambda m: "Over to you" in (m.text or ""), after=seq)
    assert "#1 Maria (F, Russian, Podil) — after 2 offers." in notice.text
    assert "• Anna: declined (no reason yet)" in notice.text
    assert "• Olga: no answer in time" in notice.text
    card = await team.fake.wait_for(team.group.id, lambda m: m.message_id == card.message_id
                                    and "No answer in time: Olga" in (m.text or ""), after=seq)
    assert "🤖" not in card.text and "Offer to" not in str(card.buttons)  # both were asked
    assert await scalar(team, "select count(*) from offers where automatic") == 2
    assert await scalar(team, "select count(*) from audit_log where action = 'auto_offer'") == 2
    assert await scalar(team, "select after from audit_log where action = 'auto_handover'") == '"tries"'
    await team.run_jobs()  # nothing more happens on its own
    assert await scalar(team, "select count(*) from offers") == 2


async def test_a_dispatcher_stepping_in_stops_auto_dispatch(team: Team) -> None:
    anna, olga, oper = await auto_on(team)
    seq = team.fake.seq
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    await anna.wait_reply(contains="Can you reach", after=seq)
    card = await team.fake.wait_for(team.group.id, lambda m: "auto-dispatch, try 1" in (m.text or ""), after=seq)
    seq = team.fake.seq
    await team.admin.press(card, "Withdraw offer")
    card = await team.fake.wait_for(team.group.id, lambda m: m.message_id == card.message_id
                                    and "Suggestions" in (m.text or ""), after=seq)
    assert "🤖" not in card.text
    await team.run_jobs()
    assert await scalar(team, "select count(*) from offers") == 1
    assert not [m for m in team.fake.chat(olga.id).bot_messages if "Can you reach" in (m.text or "")]


async def test_a_seeker_nobody_serves_goes_straight_to_the_dispatchers(team: Team) -> None:
    _, _, oper = await auto_on(team)
    seq = team.fake.seq
    await enter_contact(oper, "Lena Petrova", "+380441234568", "Lviv")
    notice = await team.fake.wait_for(team.group.id, lambda m: "Over to you" in (m.text or ""), after=seq)
    assert "#1 Lena (F, Russian, Lviv) — nobody serves this area." in notice.text
    assert await scalar(team, "select count(*) from offers") == 0
