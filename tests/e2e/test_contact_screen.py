"""After intake: a contact's own screen (/c), editing its details, /contacts and /my with
pages, /queue's Open buttons, and bursts (one summary instead of a flood of cards)."""

import json

from domain.contacts import ContactDetails
from services import intake
from storage.engine import create_session_factory
from storage.uow import UnitOfWork
from tests.e2e.conftest import Team
from tests.e2e.scenarios import accepted, enter_contact, kyiv_team, ready, rows, scalar

ALERT_NOT_YOURS = "Only the multiplier who holds this contact"


async def add_contacts(team: Team, count: int, first_phone: int = 100) -> None:
    """`count` waiting contacts entered by the admin through intake itself (quicker than
    `count` /new dialogs); their cards go to the team chat like any others."""
    async with UnitOfWork(create_session_factory(team.db)) as uow:
        boss = await uow.members.by_tg_user(team.admin.id)
        for n in range(count):
            await intake.create_contact(uow, boss, ContactDetails(
                name=f"Seeker{n} Test", phone=f"+38044123{first_phone + n:04d}"),
                team.clock.now())


async def test_the_screen_shows_details_only_to_those_allowed(team: Team) -> None:
    anna, details = await accepted(team)
    await anna.press(details, "Reached")
    await anna.wait_reply(contains="Stage: reached")

    screen = await team.admin.ask("/c 1", contains="History")
    assert "+380441234567" in screen.text and "Maria Ivanova" in screen.text
    assert "Prefers evenings" in screen.text
    history = screen.text.split("History")[1]
    assert "entered by Oleh (Instagram ad)" in history
    assert "offered to Anna (Admin 100): accepted" in history  # the admin never said /start
    assert "stage: reached (Anna)" in history
    assert "26 Nov 09:00 · " in history  # times in the reader's zone (the team's: UTC)
    assert ["✏️ Edit details"] in screen.buttons
    assert ["Ask for an update", "Message Anna"] in screen.buttons  # the card's control

    card_level = await team.admin.ask("/c #1", contains="History", chat=team.group)
    assert "Maria (F, Russian, Podil)" in card_level.text
    assert "+380" not in card_level.text and "Ivanova" not in card_level.text
    assert "Prefers evenings" not in card_level.text
    assert card_level.buttons == [["Ask for an update", "Message Anna"], ["Reassign…", "Close…"]]

    mine = await anna.ask("/c 1", contains="History")
    assert "+380441234567" in mine.text
    assert ["Contact attempted", "• Reached"] in mine.buttons and ["✏️ Edit details"] in mine.buttons

    olga = team.fake.user(202, "Olga")
    await team.invite(olga, "Multiplier")
    refused = await olga.ask("/c 1", contains=ALERT_NOT_YOURS)
    assert "+380" not in refused.text
    oper = team.fake.user(301, "Oleh")  # entered it, but Anna holds it now
    await oper.ask("/c 1", contains="held by a multiplier now")
    await team.admin.ask("/c 99", contains="Not found")
    await team.admin.ask("/c twelve", contains="Send: /c 12")


async def test_the_operator_who_entered_a_contact_sees_it_until_someone_takes_it(team: Team) -> None:
    anna, oper, card = await ready(team)
    screen = await oper.ask("/c 1", contains="History")
    assert "+380441234567" in screen.text and screen.buttons == [["✏️ Edit details"]]

    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    await anna.press(offer, "Yes")
    await anna.wait_reply(contains="+380441234567", after=seq)

    answer = await oper.press(screen, "✏️ Edit details")  # a button from before Anna's Yes
    assert answer.text == "This contact is held by a multiplier now; ask a dispatcher to change it."
    assert answer.show_alert
    answer = await oper.press_data(screen, "ce:1:phone")
    assert answer.text == "This contact is held by a multiplier now; ask a dispatcher to change it."
    assert await scalar(team, "select count(*) from audit_log where action='edit'") == 0


async def test_a_dispatcher_fixes_a_phone_and_the_duplicate_check_runs_again(team: Team) -> None:
    await kyiv_team(team)
    oper = team.fake.user(301, "Oleh")
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    await enter_contact(oper, "Lena Petrova", "+380441234599", "Obolon")
    await team.drain()
    assert "#2 Lena" in (await team.admin.ask("/contacts obolon", contains="Contacts")).text
    await team.admin.ask("/contacts new xyz", contains="I do not know “xyz”")

    screen = await team.admin.ask("/c 1", contains="History")
    await team.admin.press(screen, "✏️ Edit details")
    menu = await team.admin.wait_reply(contains="which detail do you want to change?")
    assert menu.buttons[0] == ["Name", "Phone", "Telegram"]
    await team.admin.press(menu, "Phone")
    await team.admin.wait_reply(contains="phone is now +380441234567")
    await team.admin.ask("12", contains="That phone number is not valid")
    seq = team.fake.seq
    await team.admin.ask("+380 44 123 4599", contains="Saved: phone of #1")
    again = await team.admin.wait_reply(contains="History", after=seq)
    assert "Phone: +380441234599" in again.text
    assert "phone: +380441234567 → +380441234599 (Boss)" in again.text
    assert "Possible duplicate of #2" in again.text

    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 ")
                                    and "Possible duplicate of #2 (same phone" in m.text)
    assert "+380" not in card.text
    (before, after), = await rows(team, "select before, after from audit_log where action='edit'")
    assert json.loads(before) == {"phone": "+380441234567"}
    assert json.loads(after) == {"phone": "+380441234599"}

    # gender and language are picked, as in /new; the card-level history hides the phone
    await team.admin.press(again, "✏️ Edit details")
    menu = await team.admin.wait_reply(contains="which detail do you want to change?")
    await team.admin.press(menu, "Language")
    picks = await team.admin.wait_reply(contains="Which language do they speak?")
    await team.admin.press(picks, "Ukrainian")
    await team.admin.wait_reply(contains="language: Russian → Ukrainian (Boss)")
    card_level = await team.admin.ask("/c 1", contains="History", chat=team.group)
    assert "phone changed (Boss)" in card_level.text and "+380" not in card_level.text


async def test_the_holder_changes_how_to_reach_the_seeker_and_no_more(team: Team) -> None:
    anna, details = await accepted(team)
    screen = await anna.ask("/c 1", contains="History")
    await anna.press(screen, "✏️ Edit details")
    menu = await anna.wait_reply(contains="which detail do you want to change?")
    assert menu.buttons == [["Phone", "Telegram", "E-mail"], ["Area"]]
    answer = await anna.press_data(menu, "ce:1:notes")
    assert answer.text.startswith("As its multiplier you can change the phone")
    await anna.press(menu, "E-mail")
    await anna.ask("maria@example", contains="does not look like an e-mail")
    await anna.ask("maria@example.com", contains="Saved: e-mail of #1")
    assert await scalar(team, "select email from contacts where id=1") == "maria@example.com"

    # a dispatcher's change reaches the holder, who is the one calling
    screen = await team.admin.ask("/c 1", contains="History")
    await team.admin.press(screen, "✏️ Edit details")
    menu = await team.admin.wait_reply(contains="which detail do you want to change?")
    seq = team.fake.seq
    await team.admin.press(menu, "Phone")
    await team.admin.ask("+380 44 765 4321", contains="Saved: phone of #1")
    await anna.wait_reply(contains="#1 Maria Ivanova: phone is now +380447654321 (changed by Admin 100)",
                          after=seq)


async def test_contacts_lists_by_stage_with_pages_and_each_item_opens_it(team: Team) -> None:
    anna, details = await accepted(team)
    await anna.press(details, "Reached")
    await anna.wait_reply(contains="Stage: reached")

    reached = await team.admin.ask("/contacts reached", contains="Contacts")
    assert "#1 Maria Ivanova (F, Russian, Podil) — reached · Anna" in reached.text
    assert reached.buttons == [["#1 Maria"]]
    seq = team.fake.seq
    await team.admin.press(reached, "#1 Maria")
    screen = await team.admin.wait_reply(contains="History", after=seq)
    assert "+380441234567" in screen.text
    assert "#1 Maria" in (await team.admin.ask("/contacts anna", contains="Contacts")).text
    assert "None." in (await team.admin.ask("/contacts overdue", contains="Contacts")).text
    podil = await team.admin.ask("/contacts podil", contains="Contacts")  # no area list: as typed
    assert "#1 Maria" in podil.text

    await add_contacts(team, 25)
    first = await team.admin.ask("/contacts", contains="page 1 of 3")
    assert "all open — 26" in first.text and len(sum(first.buttons, [])) == 12  # 10 + ◀▶ row
    assert first.buttons[-1] == ["1/3", "▶"]
    await team.admin.press(first, "▶")
    second = await team.admin.wait_reply(contains="page 2 of 3")
    assert second.message_id == first.message_id and second.buttons[-1] == ["◀", "2/3", "▶"]
    await team.admin.press(second, "▶")
    third = await team.admin.wait_reply(contains="page 3 of 3")
    assert "#1 Maria Ivanova" in third.text and third.buttons[-1] == ["◀", "3/3"]
    seq = team.fake.seq
    await team.admin.press(third, "#3 Seeker1")
    await team.admin.wait_reply(contains="+380441230101", after=seq)

    in_team = await team.admin.ask("/contacts reached", contains="Contacts", chat=team.group)
    assert "#1 Maria (F, Russian, Podil)" in in_team.text and "Ivanova" not in in_team.text
    await anna.ask("/contacts", contains="not for your role")


async def test_queue_and_my_have_buttons_to_each_contact(team: Team) -> None:
    anna, details = await accepted(team)
    await add_contacts(team, 12)
    queue = await team.admin.ask("/queue", contains="Dispatch queue")
    assert queue.buttons[0] == ["Open #2", "Open #3", "Open #4", "Open #5"]
    seq = team.fake.seq
    await team.admin.press(queue, "Open #2")
    await team.admin.wait_reply(contains="+380441230100", after=seq)

    async with UnitOfWork(create_session_factory(team.db)) as uow:  # Anna holds 12 more
        for contact_id in range(2, 14):
            await uow.contacts.set_fields(contact_id, status="accepted", assignee_id=2,
                                          stage_changed_at=team.clock.now())
        await uow.commit()
    mine = await anna.ask("/my", contains="Your contacts")
    assert "page 1 of 2" in mine.text and mine.buttons[-1] == ["1/2", "▶"]
    await anna.press(mine, "▶")
    second = await anna.wait_reply(contains="page 2 of 2")
    assert len(sum(second.buttons, [])) == 5  # 3 contacts, ◀ and 2/2
    seq = team.fake.seq
    await anna.press(second, sum(second.buttons, [])[0])
    await anna.wait_reply(contains="History", after=seq)


async def test_a_burst_import_posts_one_summary_and_cards_when_needed(team: Team) -> None:
    await kyiv_team(team)
    await team.drain()
    before = len(team.fake.chat(team.group.id).bot_messages)
    rows_ = "".join(f"Seeker {n},+38044123{n:04d},f,ru,Podil\n" for n in range(200))
    await team.admin.send_document(("name,phone,gender,language,city\n" + rows_).encode(),
                                   "leads.csv")
    await team.admin.wait_reply(contains="Import of leads.csv: 200 imported", timeout=60)
    await team.drain()
    posted = team.fake.chat(team.group.id).bot_messages[before:]
    assert [m.text for m in posted] == [
        "📦 200 new contacts from leads.csv. Their cards are posted here when someone opens "
        "or offers one; until then they wait in /queue."]
    assert await scalar(team, "select count(*) from contacts where card_held") == 200
    queue = await team.admin.ask("/queue", contains="Waiting for dispatch (200)")
    assert "Open #1" in str(queue.buttons)

    seq = team.fake.seq
    await team.admin.press(posted[0], "List them")
    listing = await team.fake.wait_for(team.group.id, lambda m: "page 1 of 20" in (m.text or ""),
                                       after=seq)
    assert "arrived together from leads.csv — 200" in listing.text
    await team.admin.press(listing, "#3 Seeker")
    screen = await team.fake.wait_for(team.group.id, lambda m: "History" in (m.text or ""),
                                      after=seq)
    assert "card is not in the team chat yet" in screen.text and "+380" not in screen.text
    seq = team.fake.seq
    assert (await team.admin.press(screen, "Offer to Anna")).text == "Offered to Anna."
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#3 ")
                                    and "Offered to Anna" in m.text, after=seq)
    assert card.message_id != screen.message_id

    screen = await team.admin.ask("/c 4", contains="History")
    answer = await team.admin.press(screen, "📌 Show card in the team chat")
    assert answer.text == "The card goes to the team chat now."
    await team.drain()
    await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#4 "))
    answer = await team.admin.press(screen, "📌 Show card in the team chat")
    assert answer.text == "Its card is in the team chat already."
    cards = [m for m in team.fake.chat(team.group.id).bot_messages
             if (m.text or "").startswith("#") and "History" not in m.text]  # not screens
    assert sorted(m.text.split()[0] for m in cards) == ["#3", "#4"]


async def test_forged_and_stale_presses_on_the_new_buttons(team: Team) -> None:
    anna, _oper, card = await ready(team)
    olga = team.fake.user(202, "Olga")
    await team.invite(olga, "Multiplier")
    for data in ("co:abc", "cl:s1", "cl:s1:-1", "bl:x", "sc:", "ce:abc:", "ce:1", "cp:1:gender",
                 "my:-3", "co:99999999999"):
        answer = await team.admin.press_data(card, data)
        assert answer.text == "This button is out of date or invalid.", data
    for data in ("co:999", "bl:999", "sc:999"):
        answer = await team.admin.press_data(card, data)
        assert answer.text.startswith("Not found"), data
    for data in ("cl:zz:0", "cl:s1.s2:0", "cl:qz:0", "cl:b999:0"):
        answer = await team.admin.press_data(card, data)
        assert answer.text.startswith(("That does not look right", "Not found")), data
    answer = await team.admin.press_data(card, "cl:s1:999")  # past the end: the last page
    assert answer.text is None or answer.text == ""

    welcome = team.fake.chat(olga.id).bot_messages[0]
    answer = await olga.press_data(welcome, "co:1")
    assert answer.text.startswith(ALERT_NOT_YOURS) and answer.show_alert
    for data in ("cl:-:0", "bl:1", "sc:1"):  # dispatchers' buttons
        assert (await olga.press_data(welcome, data)).text == "This button is not for you."
    answer = await olga.press_data(welcome, "ce:1:phone")
    assert answer.text.startswith(ALERT_NOT_YOURS)
    answer = await team.admin.press_data(card, "ce:1:phone")  # in the team chat
    assert answer.text == "For privacy this works only in a private chat with me."
    private = team.fake.chat(team.admin.id).bot_messages[0]
    assert (await team.admin.press_data(private, "ce:999:")).text.startswith("Not found")
    answer = await team.admin.press_data(private, "ce:1:colour")
    assert answer.text.startswith("That does not look right")
    answer = await team.admin.press_data(private, "cp:1:phone:+380441234599")
    assert answer.text == "This button is out of date or invalid."
    answer = await team.admin.press_data(private, "cp:1:language:xx")
    assert answer.text.startswith("That does not look right")
    answer = await team.admin.press_data(private, "sc:1")  # posted at once, never held
    assert answer.text == "Its card is in the team chat already."
    assert (await team.admin.press_data(private, "my:0")).text == "This button is not for you."
    assert await scalar(team, "select count(*) from audit_log where action='edit'") == 0
    assert await scalar(team, "select phone from contacts where id=1") == "+380441234567"
