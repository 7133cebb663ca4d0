"""Bad input gets a clear answer and changes nothing: strangers, unbound groups, wrong
pressers, stale and forged buttons, double taps, races, repeated updates."""

import asyncio

from tests.e2e.conftest import Team
from tests.e2e.scenarios import offer_to_anna, ready, scalar


async def test_strangers_are_seekers_and_reach_no_team_command(team: Team) -> None:
    eve = team.fake.user(666, "Eve")
    await eve.ask("/start", contains="Thank you for writing")
    zed = team.fake.user(667, "Zed")
    await zed.ask("/new", contains="Thank you for writing")  # a seeker's words, not a command
    await eve.ask("/start join-forgedtoken", contains="used up or expired")
    assert await scalar(team, "select count(*) from members") == 1  # only the configured admin
    assert await scalar(team, "select count(*) from conversation_messages") == 1


async def test_unbound_groups_refuse_commands_and_only_admins_bind(team: Team) -> None:
    oper = team.fake.user(301, "Oleh")
    await team.invite(oper, "Operator")
    other = team.fake.group(-100777, "Random group")
    await oper.send("/new", chat=other)
    await oper.wait_reply(contains="not the team chat", chat=other)
    await oper.send("/bind", chat=other)
    await oper.wait_reply(contains="Only an admin", chat=other)
    assert await scalar(team, "select count(*) from settings where key = 'team_chat_id'") == 0


async def test_wrong_presser_is_refused(team: Team) -> None:
    anna, oper, card = await ready(team)
    answer = await oper.press(card, "Offer to Anna")  # an operator is not a dispatcher
    assert answer.text == "This button is not for you." and answer.show_alert
    offer = await offer_to_anna(team, anna, card)
    olga = team.fake.user(202, "Olga")
    await team.invite(olga, "Multiplier")
    answer = await olga.press_data(offer, offer.button_data("Yes"))
    assert answer.text == "This button is not for you."
    assert await scalar(team, "select status from contacts") == "offered"


async def test_long_queues_are_cut_to_fit_a_message(team: Team) -> None:
    from domain.contacts import ContactDetails
    from services import intake
    from storage.engine import create_session_factory
    from storage.uow import UnitOfWork

    await team.bind()
    async with UnitOfWork(create_session_factory(team.db)) as uow:
        boss = await uow.members.by_tg_user(team.admin.id)
        for n in range(120):
            await intake.create_contact(uow, boss, ContactDetails(
                name=f"Seeker {n} " + "x" * 60, phone=f"+38044123{n:04d}"), team.clock.now())
    queue = await team.admin.ask("/queue", contains="Dispatch queue")
    assert len(queue.text) <= 4096 and queue.text.endswith("…")


async def test_stale_buttons_after_withdrawal_and_expiry(team: Team) -> None:
    anna, _, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    yes = offer.button_data("Yes")
    seq = team.fake.seq
    assert (await team.admin.press(card, "Withdraw offer")).text == "Offer withdrawn."
    withdrawn = await anna.wait_reply(contains="withdrawn", after=seq)
    assert withdrawn.buttons == []
    answer = await anna.press_data(offer, yes)
    assert "no longer available" in answer.text
    assert await scalar(team, "select status from contacts") == "new"

    card = await team.fake.wait_for(team.group.id, lambda m: "Offer to Anna" in str(m.buttons))
    offer = await offer_to_anna(team, anna, card)
    team.clock.advance(hours=25)
    answer = await anna.press(offer, "Yes")
    assert "no longer available" in answer.text
    assert await scalar(team, "select status from offers order by id desc limit 1") == "expired"
    assert await scalar(team, "select status from contacts") == "new"


async def test_forged_and_malformed_callback_data(team: Team) -> None:
    anna, _, card = await ready(team)
    for data in ("offer:abc:1", "zzz", "", "ans:1:maybe", "x" * 64):
        answer = await team.admin.press_data(card, data)
        assert answer.text == "This button is out of date or invalid.", data
    answer = await team.admin.press_data(card, "offer:999:2")  # well formed, no such contact
    assert answer.text.startswith("Not found")
    answer = await anna.press_data(card, "ans:999:1")  # offer buttons work only in private
    assert answer.text == "This button is not for you."
    welcome = team.fake.chat(anna.id).bot_messages[0]
    answer = await anna.press_data(welcome, "ans:999:1")
    assert answer.text.startswith("Not found")
    assert await scalar(team, "select count(*) from offers") == 0


async def test_double_tap_and_fifty_concurrent_taps_make_one_assignment(team: Team) -> None:
    anna, _, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    # a test of one winner, not of speed: fifty handlers may queue behind each other
    taps = [anna.press_nowait(offer, "Yes", timeout=30) for _ in range(50)]
    answers = await asyncio.gather(*taps)
    texts = [a.text for a in answers]
    assert texts.count("Thank you! The details are below.") == 1
    assert all(t.startswith("Already done") for t in texts if not t.startswith("Thank you"))
    assert await scalar(team, "select count(*) from audit_log where action='assign'") == 1
    assert await scalar(team, "select assignee_id is not null from contacts") == 1


async def test_concurrent_offers_by_two_dispatchers_make_one_offer(team: Team) -> None:
    anna, _, card = await ready(team)
    disp = team.fake.user(401, "Dina")
    await team.invite(disp, "Dispatcher")
    first = team.admin.press_nowait(card, "Offer to Anna")
    second = disp.press_nowait(card, "Offer to Anna")
    answers = sorted(a.text for a in await asyncio.gather(first, second))
    assert answers[0] == "Offered to Anna."
    assert "no longer available" in answers[1]
    assert await scalar(team, "select count(*) from offers") == 1


async def test_a_repeated_update_has_no_second_effect(team: Team) -> None:
    oper = team.fake.user(301, "Oleh")
    await team.bind()
    await team.invite(oper, "Operator")
    update = {
        "update_id": 990001,
        "message": {
            "message_id": 9001, "date": 1_790_000_000, "text": "/new",
            "chat": {"id": 301, "type": "private", "first_name": "Oleh"},
            "from": {"id": 301, "is_bot": False, "first_name": "Oleh"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
        },
    }
    seq = team.fake.seq
    team.fake.inject_update(update)
    team.fake.inject_update(update)
    await team.fake.wait_for(301, lambda m: "What is their name?" in (m.text or ""), after=seq)
    await team.fake.wait_idle()
    asks = [m for m in team.fake.chat(301).bot_messages if "What is their name?" in (m.text or "")]
    assert len(asks) == 1


async def test_bad_intake_input_gets_a_hint_and_the_form_goes_on(team: Team) -> None:
    oper = team.fake.user(301, "Oleh")
    await team.bind()
    await team.invite(oper, "Operator")
    await oper.ask("/new", contains="What is their name?")
    await oper.ask("x" * 300, contains="too long")
    await oper.ask("Maria", contains="How can we reach them?")
    await oper.ask("+380 12", contains="phone number is not valid")
    await oper.ask("nonsense", contains="Send a phone number")
    await oper.ask("@maria_k", contains="Gender?")
    await oper.ask("/cancel", contains="Cancelled")
    assert await scalar(team, "select count(*) from contacts") == 0


async def test_names_with_markup_characters_are_shown_literally(team: Team) -> None:
    odd = team.fake.user(205, "<Anna & Co>", username="anna_co")
    oper = team.fake.user(301, "Oleh")
    await team.bind()
    await team.invite(odd, "Multiplier")
    await team.invite(oper, "Operator")
    await oper.ask("/new", contains="What is their name?")
    await oper.ask("<b>Maria</b> & Co", contains="How can we reach them?")
    gender = await oper.ask("@maria_k", contains="Gender?")
    await oper.press(gender, "female")
    await oper.press(await oper.wait_reply(contains="Which language"), "Not known")
    await oper.wait_reply(contains="Where are they")
    await oper.ask("Podil <east>", contains="Where did they come from")
    await oper.ask("ad <1>", contains="Any notes")
    await oper.ask("-", contains="Saved as #1")
    card = await team.fake.wait_for(team.group.id, lambda m: m.text.startswith("#1"))
    assert card.text.startswith("#1 <b>Maria</b> (F, language not set, Podil <east>)")
    assert "<Anna & Co>" in card.text
    listing = await team.admin.ask("/team", contains="Team")
    assert "<Anna & Co> @anna_co — multiplier" in listing.text


async def test_a_double_tap_keeps_the_winners_buttons(team: Team) -> None:
    anna, _, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    seq = team.fake.seq
    first, second = await asyncio.gather(anna.press_nowait(offer, "Yes"),
                                         anna.press_nowait(offer, "Yes"))
    assert sorted([first.text[:7], second.text[:7]]) == ["Already", "Thank y"]
    await team.fake.wait_idle()
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    assert ["Contact attempted", "Reached"] in details.buttons


async def test_a_command_mid_dialog_runs_as_a_command(team: Team) -> None:
    await team.bind()
    await team.admin.ask("/new", contains="What is their name?")
    await team.admin.ask("/queue", contains="Dispatch queue")
    await team.admin.ask("Maria", contains="How can we reach them?")  # the form goes on
    assert await scalar(team, "select count(*) from contacts") == 0


async def test_expired_offer_pressed_late_refreshes_the_card(team: Team) -> None:
    anna, _, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    team.clock.advance(hours=25)  # no job ran: the press itself finds it expired
    seq = team.fake.seq
    assert "no longer available" in (await anna.press(offer, "Yes")).text
    card = await team.fake.wait_for(team.group.id, lambda m: "No answer in time: Anna" in m.text, after=seq)
    assert "Status: waiting for dispatch" in card.text
