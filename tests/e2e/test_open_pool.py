"""The open pool through Telegram: a dispatcher opens a waiting contact to every eligible
multiplier nearby; the first Take holds it, every other invitation says it was taken."""

import asyncio

from tests.e2e.conftest import Team
from tests.e2e.scenarios import (
    cast_with_seeker,
    enter_maria,
    kyiv_team,
    make_contact,
    rows,
    scalar,
    set_profile,
)
from tests.fake_telegram import FakeMessage, FakeUser


async def open_to_anna_and_olga(team: Team) -> tuple[FakeUser, FakeUser, dict[str, FakeMessage],
                                                     FakeMessage]:
    """Maria entered by the Kyiv team's operator and opened to all nearby: Anna, Olga, their
    invitations by first name, and the card once it lists them."""
    anna, olga, oper = await kyiv_team(team)
    await team.admin.ask("/matching pool on", contains="Open pool: on")
    await enter_maria(team, oper)
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    seq = team.fake.seq
    await team.admin.press(card, "🙋 Open to all nearby")
    invites = {u.first_name: await u.wait_reply(contains="Open to all nearby", after=seq)
               for u in (anna, olga)}
    card = await team.fake.wait_for(
        team.group.id, lambda m: "first to take it holds it" in (m.text or ""), after=seq)
    return anna, olga, invites, card


async def test_first_take_holds_the_seeker_and_the_others_see_taken(team: Team) -> None:
    fake = team.fake
    anna, olga, oper = await kyiv_team(team)
    ira = fake.user(203, "Ira")
    await team.invite(ira, "Multiplier")
    await set_profile(team, ira, "Russian", "Podil")
    await team.admin.ask("/matching pool on", contains="Open pool: on, up to 5 multipliers")
    await enter_maria(team, oper)
    card = await fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))

    seq = fake.seq
    opened = await team.admin.press(card, "🙋 Open to all nearby")
    assert opened.text == "Open to 3 multipliers nearby; the first to take it holds it."
    invites = {u.first_name: await u.wait_reply(contains="Open to all nearby", after=seq)
               for u in (anna, olga, ira)}
    for message in invites.values():
        assert "Can you reach Maria (F, Russian, Podil) in the next 2 days?" in message.text
        assert "+380" not in message.text and "Ivanova" not in message.text
        assert message.buttons == [["Take", "Not me"]]
    ira_take = invites["Ira"].button_data("Take")  # her message loses its buttons later
    card = await fake.wait_for(team.group.id, lambda m: "first to take it holds it" in (m.text or ""),
                               after=seq)
    assert "Anna" in card.text and "Olga" in card.text and "Ira" in card.text
    assert ["🙋 Close the open pool"] in card.buttons

    seq = fake.seq
    both = await asyncio.gather(anna.press_nowait(invites["Anna"], "Take", timeout=30),
                                olga.press_nowait(invites["Olga"], "Take", timeout=30))
    toasts = sorted(a.text for a in both)
    assert toasts[0].startswith("Someone else took this seeker first")
    assert toasts[1] == "Thank you! The details are below."
    winner, loser = (anna, olga) if both[0].text.startswith("Thank you") else (olga, anna)
    details = await winner.wait_reply(contains="+380441234567", after=seq)
    assert "Maria Ivanova" in details.text and "please reach them by" in details.text
    taken = await ira.wait_reply(contains="another multiplier took", after=seq)
    assert taken.buttons == [] and taken.message_id == invites["Ira"].message_id
    card = await fake.wait_for(
        team.group.id, lambda m: f"Accepted by {winner.first_name}" in (m.text or ""), after=seq)
    assert f"Taken from the open pool by {winner.first_name}" in card.text

    beaten = await loser.wait_reply(contains="another multiplier took", after=seq)
    assert beaten.message_id == invites[loser.first_name].message_id and beaten.buttons == []
    late = await ira.press_data(invites["Ira"], ira_take)
    assert late.text.startswith("Someone else took this seeker first")
    assert await scalar(team, "select count(*) from offers where status='accepted'") == 1
    states = await rows(team, "select m.tg_user_id, i.state from pool_invitations i"
                              " join members m on m.id = i.member_id")
    assert dict(states) == {winner.id: "taken", loser.id: "lost", ira.id: "lost"}
    assert loser.first_name in card.text


async def test_an_offer_by_hand_closes_the_pool(team: Team) -> None:
    fake = team.fake
    anna, olga, invites, card = await open_to_anna_and_olga(team)
    invite = invites["Olga"]
    take = invite.button_data("Take")

    seq = fake.seq
    await team.admin.press(card, "Offer to Anna")
    await anna.wait_reply(contains="Can you reach", after=seq)
    closed = await olga.wait_reply(contains="No longer open", after=seq)
    assert closed.message_id == invite.message_id and closed.buttons == []
    late = await olga.press_data(invite, take)
    assert late.text.startswith("This seeker is no longer open to all")
    assert await scalar(team, "select assignee_id from contacts") is None


async def test_a_seeker_taken_from_the_pool_hears_who_will_contact_them(team: Team) -> None:
    """The taker gets the conversation so far, like after Yes; the seeker the warm hand-off."""
    fake = team.fake
    anna, oper, maria = await cast_with_seeker(team)
    await team.admin.ask("/matching pool on", contains="Open pool: on")
    await maria.ask("/start", contains="Thank you for writing")
    seq = fake.seq
    await maria.send("Hello, I saw your ad")
    card = await fake.wait_for(team.group.id, lambda m: "Claim" in sum(m.buttons, [])
                               and "Hello, I saw your ad" in (m.text or ""), after=seq)
    await oper.press(card, "Claim")
    card = await fake.wait_for(team.group.id, lambda m: "Claimed by Oleh" in (m.text or ""),
                               after=seq)
    seq = fake.seq
    assert (await make_contact(team, oper, card)).text.startswith("Sent to dispatch as #1")
    contact_card = await fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"),
                                       after=seq)

    seq = fake.seq
    assert (await team.admin.press(contact_card, "🙋 Open to all nearby")).text.startswith(
        "Open to 1 multiplier nearby")
    invite = await anna.wait_reply(contains="Open to all nearby", after=seq)
    assert (await anna.press(invite, "Take")).text == "Thank you! The details are below."
    intro = await anna.wait_reply(contains="wrote to the team's bot", after=seq)
    assert "→ Hello, I saw your ad" in intro.text
    told = await maria.wait_reply(contains="from our team will contact you", after=seq)
    assert told.text.startswith("Good news: Anna from our team will contact you within 2 days.")


async def test_not_me_closes_one_invitation_and_closing_the_pool_stops_every_take(
        team: Team) -> None:
    """"Not me" closes the presser's invitation only (marked on the card); a stranger's press
    is refused; a dispatcher closing the pool by hand edits the remaining invitation, and its
    Take, pressed late, changes nothing."""
    fake = team.fake
    anna, olga, invites, _ = await open_to_anna_and_olga(team)
    anna_take = invites["Anna"].button_data("Take")

    stranger = await anna.press_data(invites["Anna"], invites["Olga"].button_data("Not me"))
    assert stranger.text == "This button is not for you."
    seq = fake.seq
    assert (await olga.press(invites["Olga"], "Not me")).text == "Thanks for the quick answer."
    passed = await olga.wait_reply(contains="You passed on Maria", after=seq)
    assert passed.message_id == invites["Olga"].message_id and passed.buttons == []
    card = await fake.wait_for(team.group.id, lambda m: "Olga ✖" in (m.text or ""), after=seq)
    assert ["🙋 Close the open pool"] in card.buttons

    seq = fake.seq
    assert (await team.admin.press(card, "🙋 Close the open pool")).text == (
        "The open pool is closed; the contact waits for dispatch.")
    closed = await anna.wait_reply(contains="No longer open", after=seq)
    assert closed.message_id == invites["Anna"].message_id and closed.buttons == []
    await fake.wait_for(team.group.id, lambda m: "🙋 Open to all nearby" in sum(m.buttons, []),
                        after=seq)
    late = await anna.press_data(invites["Anna"], anna_take)
    assert late.text.startswith("This seeker is no longer open to all") and late.show_alert
    assert await scalar(team, "select status from contacts") == "new"
    assert await scalar(team, "select count(*) from offers") == 0
    states = await rows(team, "select m.tg_user_id, i.state from pool_invitations i"
                              " join members m on m.id = i.member_id")
    assert dict(states) == {anna.id: "withdrawn", olga.id: "passed"}


async def test_a_pool_nobody_takes_lapses_like_an_unanswered_offer(team: Team) -> None:
    """After an offer's time to answer (24 h), the invitations say nobody took the seeker in
    time and lose their buttons, a late Take says the invitation lapsed, and the card offers
    the pool again: the seeker waits for dispatch, not for a Take that will never come."""
    fake = team.fake
    anna, olga, invites, _ = await open_to_anna_and_olga(team)
    invite = invites["Anna"]
    take = invite.button_data("Take")

    team.clock.advance(hours=23)
    await team.run_jobs()
    assert await scalar(team, "select count(*) from pool_invitations where state='pending'") == 2
    seq = fake.seq
    team.clock.advance(hours=2)
    await team.run_jobs()
    lapsed = await anna.wait_reply(contains="nobody took Maria", after=seq)
    assert lapsed.message_id == invite.message_id and lapsed.buttons == []
    await olga.wait_reply(contains="nobody took Maria", after=seq)
    await fake.wait_for(team.group.id, lambda m: "🙋 Open to all nearby" in sum(m.buttons, [])
                        and "Open pool closed" in (m.text or ""), after=seq)
    late = await anna.press_data(invite, take)
    assert late.text.startswith("This invitation lapsed") and late.show_alert
    assert await scalar(team, "select status from contacts") == "new"
    assert await scalar(team, "select count(*) from pool_invitations where state='expired'") == 2

