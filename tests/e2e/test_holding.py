"""After Yes the dispatcher keeps control: ask for an update, reassign, close with a reason,
message the holder, a hand-back, and a leaver's seekers back with the dispatchers; every new
button refused when forged, stale or pressed by the wrong person."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_contact, enter_maria, kyiv_team, scalar
from tests.fake_telegram import FakeMessage, FakeUser


def card_of(team: Team, contact_id: int, needle: str, after: int):  # type: ignore[no-untyped-def]
    """Contact #id's team card once its text or a button says `needle` (posted or edited
    after `after`)."""
    return team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith(f"#{contact_id} ")
                              and (needle in m.text or needle in str(m.buttons)), after=after)


async def anna_holds_maria(team: Team) -> tuple[FakeUser, FakeUser, FakeMessage, FakeMessage]:
    """`kyiv_team` (Anna in Podil, Olga in Obolon next door), Oleh entered Maria (#1, Podil),
    Anna accepted her. Returns (anna, olga, details, card): Anna's message with Maria's
    phone and the stage buttons, and the card saying "Accepted by Anna"."""
    anna, olga, oper = await kyiv_team(team)
    await enter_maria(team, oper)
    card = await card_of(team, 1, "Offer to", 0)
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    card = await card_of(team, 1, "Accepted by Anna", seq)
    return anna, olga, details, card


async def member_id(team: Team, tg_user_id: int) -> int:
    return await scalar(team, f"select id from members where tg_user_id = {tg_user_id}")


async def test_ask_for_an_update_then_reassign_then_someone_else_accepts(team: Team) -> None:
    anna, olga, details, card = await anna_holds_maria(team)
    assert card.buttons == [["Ask for an update", "Message Anna"], ["Reassign…", "Close…"]]
    reached = details.button_data("Reached")

    # ask for an update, with a note typed in the dispatcher's private chat
    seq = team.fake.seq
    answer = await team.admin.press(card, "Ask for an update")
    assert answer.text == "I wrote to you in our private chat."
    prompt = await team.admin.wait_reply(contains="add a note for Anna", after=seq)
    assert prompt.buttons == [["Send without note"]] and "#1 Maria (F, Russian, Podil)" in prompt.text
    await team.admin.ask("She asked to be called after six", contains="Asked Anna for an update on #1.")
    ask = await anna.wait_reply(contains="asks how it is going", after=seq)
    assert "Boss (dispatcher)" in ask.text and "Note: She asked to be called after six" in ask.text
    assert ["Contact attempted", "Reached"] in ask.buttons
    card = await card_of(team, 1, "🔔 Update asked", seq)
    assert "by Boss" in card.text
    again = await team.admin.press(card, "Ask for an update")
    assert again.text == "Already asked: the update is still awaited." and again.show_alert
    assert await scalar(team, "select nag_count from contacts") == 1  # it counts as a reminder

    # any stage change answers it; the details stay in the one message that has them
    seq = team.fake.seq
    await anna.press(ask, "Reached")
    card = await card_of(team, 1, "stage: reached", seq)
    assert "Update asked" not in card.text
    assert ask.text == "#1 Maria (F, Russian, Podil) — stage: reached" and "• Reached" in str(ask.buttons)
    assert await scalar(team, "select update_requested_at is null and nag_count = 0 from contacts") == 1

    # reassign: confirmed on the card, Anna told, her details gone, her buttons "no longer yours"
    seq = team.fake.seq
    await team.admin.press(card, "Reassign…")
    card = await team.fake.wait_for(team.group.id, lambda m: "Yes, take it from Anna" in str(m.buttons), after=seq)
    assert card.buttons == [["Yes, take it from Anna"], ["« Back"]]
    done = await team.admin.press(card, "Yes, take it from Anna")
    assert done.text == "Back in dispatch; Anna was told."
    told = await anna.wait_reply(contains="was reassigned by the dispatchers", after=seq)
    assert told.text == "#1 Maria was reassigned by the dispatchers: you no longer hold this contact. Thank you."
    await anna.wait_reply(contains="no longer yours", after=seq)
    assert details.text == "#1 Maria — no longer yours." and details.buttons == []
    assert "+380" not in details.text and "Ivanova" not in details.text
    pressed = team.fake.seq
    old = await anna.press_data(ask, reached)
    assert old.text == "This contact is no longer yours."
    await team.fake.wait_for(anna.id, lambda m: m.message_id == ask.message_id and not m.buttons,
                             after=pressed)  # the old reminder's buttons go too
    card = await card_of(team, 1, "Status: waiting for dispatch", seq)
    assert "Offer to Olga" in str(card.buttons) and "Offer to Anna" not in str(card.buttons)
    assert "Reassigned away: Anna (not suggested again)" in card.text
    assert "1. Olga" in card.text and "Anna —" not in card.text
    assert await scalar(team, "select assignee_id from contacts") is None
    assert await scalar(team, "select release from offers where id = 1") == "reassigned"

    # Other… still lets a dispatcher pick her by hand, and says why she is not suggested
    seq = team.fake.seq
    await team.admin.press(card, "Other…")
    others = await team.fake.wait_for(team.group.id, lambda m: "reassigned away" in str(m.buttons), after=seq)
    assert "Anna (0/5) · reassigned away" in str(others.buttons)
    await team.admin.press(others, "« Back")
    card = await card_of(team, 1, "Offer to Olga", seq)

    # the new offer follows the normal flow
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Olga")
    offer = await olga.wait_reply(contains="Can you reach", after=seq)
    await olga.press(offer, "Yes")
    await olga.wait_reply(contains="+380441234567", after=seq)
    card = await card_of(team, 1, "Accepted by Olga", seq)
    assert card.buttons == [["Ask for an update", "Message Olga"], ["Reassign…", "Close…"]]
    assert await scalar(team, "select count(*) from audit_log where action = 'reassign'") == 1


async def test_ask_without_a_note(team: Team) -> None:
    anna, _, _, card = await anna_holds_maria(team)
    seq = team.fake.seq
    await team.admin.press(card, "Ask for an update")
    prompt = await team.admin.wait_reply(contains="add a note for Anna", after=seq)
    send = prompt.button_data("Send without note")
    await team.admin.press(prompt, "Send without note")
    await team.admin.wait_reply(contains="Asked Anna for an update on #1.", after=seq)
    assert prompt.text == "Asked Anna for an update on #1." and prompt.buttons == []
    ask = await anna.wait_reply(contains="asks how it is going", after=seq)
    assert "Note:" not in ask.text
    again = await team.admin.press_data(prompt, send)
    assert again.text == "Already asked: the update is still awaited."
    await team.admin.ask("a note typed after the dialog ended", contains="I did not understand")


async def test_close_with_a_reason_and_message_the_holder(team: Team) -> None:
    anna, _, details, card = await anna_holds_maria(team)

    seq = team.fake.seq
    await team.admin.press(card, "Message Anna")
    await team.admin.wait_reply(contains="write your message for Anna", after=seq)
    await team.admin.ask("   ", contains="Please write a few words")
    await team.admin.ask("Her sister called: evenings only, please", contains="Sent to Anna.")
    note = await anna.wait_reply(contains="Boss (dispatcher) about", after=seq)
    assert note.text == ("✉️ Boss (dispatcher) about Maria (F, Russian, Podil) (#1):\n"
                         "Her sister called: evenings only, please")
    assert await scalar(team, "select count(*) from audit_log where action = 'message_holder' "
                              "and after like '%Her sister called: evenings only, please%'") == 1

    seq = team.fake.seq
    await team.admin.press(card, "Close…")
    card = await team.fake.wait_for(team.group.id, lambda m: "No longer interested" in str(m.buttons), after=seq)
    assert card.buttons == [["No longer interested", "No response"], ["Invalid", "Spam"], ["« Back"]]
    done = await team.admin.press(card, "No longer interested")
    assert done.text == "Closed; Anna was told."
    card = await card_of(team, 1, "Closed: no longer interested", seq)
    assert card.buttons == []
    told = await anna.wait_reply(contains="was closed by the dispatchers", after=seq)
    assert "(no longer interested): you no longer hold this contact" in told.text
    await anna.wait_reply(contains="no longer yours", after=seq)
    assert "+380" not in details.text and details.buttons == []
    assert await scalar(team, "select status || ' ' || close_reason from contacts") == \
        "closed not_interested"
    assert await scalar(team, "select count(*) from audit_log where action = 'close:not_interested'") == 1


async def test_a_hand_back_removes_the_details_and_ranks_the_hand_backer_last(team: Team) -> None:
    anna, _, details, card = await anna_holds_maria(team)
    seq = team.fake.seq
    await anna.press(details, "Hand back to dispatcher")
    await anna.ask("Moving to Lviv", contains="#1 is back with the dispatchers")
    await anna.wait_reply(contains="handed back to the dispatchers", after=seq)
    assert details.text == "#1 Maria — handed back to the dispatchers. Thank you."
    assert details.buttons == []
    card = await card_of(team, 1, "Handed back: Moving to Lviv", seq)
    assert "1. Olga" in card.text
    assert "2. Anna — handed this seeker back (ranked last), same area" in card.text
    offers = [b for row in card.buttons for b in row if b.startswith("Offer to")]
    assert offers == ["Offer to Olga", "Offer to Anna"]
    old = await anna.press_data(details, "stage:1:reached")
    assert old.text == "This contact is no longer yours."


async def test_a_leaver_s_seekers_and_offers_go_back_with_one_team_message(team: Team) -> None:
    anna, _, oper = await kyiv_team(team)
    for n, name in enumerate(("Maria Ivanova", "Lena Petrova", "Oksana Bilyk", "Iryna Koval")):
        await enter_contact(oper, name, f"+38044123456{n}", "Podil")
    held = []
    for contact_id in (1, 2, 3, 4):
        card = await card_of(team, contact_id, "Offer to Anna", 0)
        seq = team.fake.seq
        await team.admin.press(card, "Offer to Anna")
        offer = await anna.wait_reply(contains="Can you reach", after=seq)
        if contact_id < 4:
            await anna.press(offer, "Yes")
            held.append(await anna.wait_reply(contains="+38044123456", after=seq))
            await card_of(team, contact_id, "Accepted by Anna", seq)
    await anna.press(held[1], "Reached")
    pending = offer

    seq = team.fake.seq
    listing = await team.admin.ask("/team", contains="Team")
    await team.admin.press(listing, "Anna")
    member = await team.admin.wait_reply(predicate=lambda m: "Deactivate" in str(m.buttons),
                                         after=seq)
    await team.admin.press(member, "Deactivate")
    summary = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("Anna left"), after=seq)
    assert summary.text == ("Anna left the team: 3 contacts back in dispatch (#1, #2, #3), "
                            "1 offer withdrawn (#4)")
    await card_of(team, 1, "Anna left the team; was at stage accepted", seq)
    await card_of(team, 2, "Anna left the team; was at stage reached", seq)
    await card_of(team, 3, "Anna left the team; was at stage accepted", seq)
    card = await card_of(team, 4, "Status: waiting for dispatch", seq)
    assert "Offer to Anna" not in str(card.buttons)
    await team.drain()
    assert [m.text for m in team.fake.chat(team.group.id).bot_messages
            if not (m.text or "").startswith("#")].count(summary.text) == 1
    assert await scalar(team, "select count(*) from contacts where status = 'new' and assignee_id is null") == 4
    assert await scalar(team, "select count(*) from offers where status = 'withdrawn'") == 1
    assert await scalar(team, "select count(*) from audit_log where action = 'leaver' "
                              "and entity = 'contact'") == 4
    assert all("+380" not in m.text and m.buttons == [] for m in held)
    assert "withdrawn" in pending.text and pending.buttons == []


async def test_removing_the_multiplier_role_hands_over_too(team: Team) -> None:
    anna, _, _, _ = await anna_holds_maria(team)
    seq = team.fake.seq
    listing = await team.admin.ask("/team", contains="Team")
    await team.admin.press(listing, "Anna")
    member = await team.admin.wait_reply(predicate=lambda m: "Deactivate" in str(m.buttons),
                                         after=seq)
    await team.admin.press(member, "multiplier")
    summary = await team.fake.wait_for(team.group.id, lambda m: "is no longer a multiplier:" in (m.text or ""), after=seq)
    assert summary.text == "Anna is no longer a multiplier: 1 contact back in dispatch (#1)"
    await card_of(team, 1, "Anna is no longer a multiplier; was at stage accepted", seq)


async def test_forged_stale_and_wrong_hands_on_every_new_button(team: Team) -> None:
    anna, olga, details, card = await anna_holds_maria(team)
    oper = team.fake.user(301, "Oleh")
    anna_id = await member_id(team, anna.id)
    olga_id = await member_id(team, olga.id)
    steps = ("ask", "ask_send", "message", "reassign", "reassign_yes", "close")
    buttons = [f"held:{step}:1:{anna_id}" for step in steps] + [f"hc:1:{anna_id}:spam"]

    for data in buttons:  # not a dispatcher: an operator, the holder herself
        assert (await oper.press_data(card, data)).text == "This button is not for you.", data
        assert (await anna.press_data(details, data)).text == "This button is not for you.", data
    for data in (f"held:nope:1:{anna_id}", "held:ask:1", f"hc:1:{anna_id}:bogus", "held:ask:x:1",
                 f"held:ask:1:{2**63}"):
        assert (await team.admin.press_data(card, data)).text == \
            "This button is out of date or invalid.", data
    for data in (f"held:ask:999:{anna_id}", f"hc:999:{anna_id}:spam"):
        assert (await team.admin.press_data(card, data)).text.startswith("Not found"), data
    for step in steps:  # a holder the card never showed: stale
        answer = await team.admin.press_data(card, f"held:{step}:1:{olga_id}")
        assert "no longer available" in answer.text, step
    assert "no longer available" in (await team.admin.press_data(card, f"hc:1:{olga_id}:spam")).text

    seq = team.fake.seq
    await team.admin.press(card, "Reassign…")
    confirm = await team.fake.wait_for(team.group.id, lambda m: "Yes, take it from Anna" in str(m.buttons), after=seq)
    yes = confirm.button_data("Yes, take it from Anna")
    assert (await team.admin.press(confirm, "Yes, take it from Anna")).text.startswith("Back in dispatch")
    second = await team.admin.press_data(confirm, yes)  # a second press, and every old button
    assert "no longer available" in second.text
    for data in buttons:
        assert "no longer available" in (await team.admin.press_data(card, data)).text, data
    assert await scalar(team, "select count(*) from audit_log where action = 'reassign'") == 1
    assert await scalar(team, "select status from contacts") == "new"


async def test_the_contacts_screen_has_the_same_control_as_its_card(team: Team) -> None:
    anna, _olga, _details, _card = await anna_holds_maria(team)
    screen = await team.admin.ask("/c 1", contains="+380441234567")
    assert ["Ask for an update", "Message Anna"] in screen.buttons
    assert ["Reassign…", "Close…"] in screen.buttons
    seq = team.fake.seq
    await team.admin.press(screen, "Ask for an update")
    await team.admin.wait_reply(contains="add a note for Anna", after=seq)
    await team.admin.ask("Please call her today", contains="Asked Anna for an update on #1.")
    ask = await anna.wait_reply(contains="asks how it is going", after=seq)
    assert "Note: Please call her today" in ask.text
    timeline = await team.admin.ask("/c 1", contains="update asked")
    assert "🔔 update asked (Boss)" in timeline.text
