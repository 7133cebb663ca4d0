"""Seekers write to the bot: operators triage each request once in the team chat, and the
multiplier who accepts it talks with the seeker through the bot, media included."""

import pytest

from tests.e2e.conftest import Team
from tests.e2e.scenarios import (
    anna_and_oleh,
    cast_with_seeker,
    enter_contact,
    make_contact,
    offer_to_anna,
    rows,
    scalar,
    set_profile,
    until,
)
from tests.fake_telegram import FakeMessage, FakeUser
from domain.contacts import Status
from domain.conversations import DraftField
from views.callbacks import DraftPick, DraftSend, HandBack, Satisfied, Stage

GREETING = "Thank you for writing"


def is_triage_card(m: FakeMessage) -> bool:
    return (m.text or "").startswith("💬 Seeker")


async def card_after(team: Team, seq: int, needle: str) -> FakeMessage:
    return await team.fake.wait_for(
        team.group.id, lambda m: is_triage_card(m) and needle in (m.text or ""), after=seq)


async def relayed_to_anna(team: Team, handoff: bool = True
                          ) -> tuple[FakeUser, FakeUser, FakeUser, FakeMessage]:
    """Maria writes (text + photo), Oleh claims and makes a contact, Anna accepts it and gets
    the conversation so far (and Maria hears who will contact her, with `handoff`). Returns
    the intro message Anna can reply to."""
    anna, oper, maria = await cast_with_seeker(team)
    await maria.ask("/start", contains=GREETING)
    seq = team.fake.seq
    await maria.send("Hello, I saw your ad")
    card = await card_after(team, seq, "Hello, I saw your ad")
    seq = team.fake.seq
    await maria.send_photo(b"PHOTO-1", caption="my street")
    card = await card_after(team, seq, "[photo] my street")
    assert (await oper.press(card, "Claim")).text == "It is yours."
    card = await card_after(team, seq, "Claimed by Oleh")
    seq = team.fake.seq
    assert (await make_contact(team, oper, card)).text.startswith("Sent to dispatch as #1")
    contact_card = await team.fake.wait_for(team.group.id,
                                            lambda m: (m.text or "").startswith("#1"), after=seq)
    assert "Maria" in contact_card.text and "Telegram bot" in contact_card.text
    await card_after(team, seq, "Contact #1 (by Oleh)")
    seq = team.fake.seq
    await team.admin.press(contact_card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    await anna.press(offer, "Yes")
    intro = await anna.wait_reply(contains="wrote to the team's bot", after=seq)
    assert "→ Hello, I saw your ad" in intro.text and "→ [photo] my street" in intro.text
    photo = await team.fake.wait_for(anna.id, lambda m: m.kind == "photo", after=seq)
    assert photo.photo == b"PHOTO-1" and "From Maria P (#1)" in photo.text
    if handoff:
        await maria.wait_reply(contains="will contact you", after=seq)
    await team.fake.wait_idle()  # the bot notes which messages answer Maria once they are out
    return anna, oper, maria, intro


async def test_triage_to_contact_and_relay_both_ways_with_media(team: Team) -> None:
    anna, _, maria, intro = await relayed_to_anna(team)
    assert len([m for m in maria.chat.bot_messages if GREETING in (m.text or "")]) == 1
    details = await rows(team, "select tg_user_id, tg_username, notes from contacts")
    assert details == [(501, "maria_p", "Hello, I saw your ad\nmy street")]
    assert await scalar(team, "select relay_status from conversations") == "seeker_replied"

    # the multiplier answers by replying; the seeker sees only the bot
    seq = team.fake.seq
    await anna.send("Hi Maria, I am Anna. When can we meet?", reply_to=intro)
    got = await maria.wait_reply(contains="When can we meet?", after=seq)
    assert got.from_bot and got.text == "Hi Maria, I am Anna. When can we meet?"
    await anna.wait_reply(contains="On its way to Maria P", after=seq)
    assert await scalar(team, "select relay_status from conversations") == "awaiting_seeker"

    # the seeker's text, voice and document reach the multiplier with who it is from
    seq = team.fake.seq
    await maria.send("Tomorrow <b>evening</b>?")
    text = await anna.wait_reply(contains="Tomorrow", after=seq)
    assert text.text == "💬 From Maria P (#1) — reply to this message to answer.\n\nTomorrow <b>evening</b>?"
    assert text.buttons == [["Share my contact"]]
    seq = team.fake.seq
    await maria.send_voice(b"VOICE-1")
    voice = await team.fake.wait_for(anna.id, lambda m: m.kind == "voice", after=seq)
    assert voice.voice_bytes == b"VOICE-1"
    seq = team.fake.seq
    await maria.send_document(b"%PDF", "passport.pdf", caption="my papers")
    doc = await team.fake.wait_for(anna.id, lambda m: m.kind == "document", after=seq)
    assert doc.document_bytes == b"%PDF" and "my papers" in doc.text
    assert await scalar(team, "select relay_status from conversations") == "seeker_replied"
    my = await anna.ask("/my", contains="Your contacts")
    assert "💬 seeker replied" in my.text

    # media back, as a reply to any relayed message
    seq = team.fake.seq
    await anna.send_photo(b"MAP", caption="Here is the place", reply_to=doc)
    back = await team.fake.wait_for(maria.id, lambda m: m.kind == "photo", after=seq)
    assert back.photo == b"MAP" and back.text == "Here is the place"
    await anna.wait_reply(contains="On its way to Maria P", after=seq)
    seq = team.fake.seq
    await anna.send_voice(b"VOICE-2", reply_to=text)
    await team.fake.wait_for(maria.id, lambda m: m.kind == "voice", after=seq)
    await anna.wait_reply(contains="On its way to Maria P", after=seq)
    seq = team.fake.seq
    await anna.send_document(b"MAPPDF", "route.pdf", reply_to=text)
    await team.fake.wait_for(maria.id, lambda m: m.kind == "document", after=seq)
    await anna.wait_reply(contains="On its way to Maria P", after=seq)

    # her username only when she chooses to share it
    assert not any("anna_m" in (m.text or "") for m in maria.chat.bot_messages)
    seq = team.fake.seq
    assert (await anna.press(text, "Share my contact")).text.startswith("Your @anna_m was sent")
    await maria.wait_reply(contains="write to Anna directly: @anna_m", after=seq)

    # the whole conversation is stored with the contact; the team chat did not see the relay
    stored = await rows(team, "select direction, kind from conversation_messages order by id")
    assert [f"{d}:{k}" for d, k in stored] == [  # the warm hand-off, then Anna's answer
        "in:text", "in:photo", "out:text", "out:text", "in:text", "in:voice", "in:document",
        "out:photo", "out:voice", "out:document", "out:text"]
    assert await scalar(team, "select contact_id from conversations") == 1
    assert not any("Tomorrow" in (m.text or "") for m in team.group.bot_messages)


async def test_triage_spam_mutes_read_reopens_and_only_operators_press(team: Team) -> None:
    anna, oper, _ = await cast_with_seeker(team)
    spammer = team.fake.user(601, "Buy", username="cheap_pills")
    await spammer.ask("Cheap pills!!!", contains=GREETING)
    card = await card_after(team, 0, "Cheap pills")
    assert card.buttons == [["Claim", "Make contact"], ["Spam", "Read, no action"]]
    assert (await anna.press(card, "Spam")).text == "This button is not for you."
    seq = team.fake.seq
    assert (await oper.press(card, "Spam")).text.startswith("Marked as spam")
    card = await card_after(team, seq, "Spam (by Oleh)")
    assert card.buttons == []
    late = await team.admin.press_data(card, "tri:1:read")  # handled once
    assert late.text.startswith("This is no longer available") and late.show_alert
    await spammer.send("More pills")
    await spammer.send("And more")
    await team.fake.wait_idle()
    assert [m.text for m in spammer.chat.bot_messages if GREETING not in (m.text or "")] == []
    # nothing is sent for a dropped message: wait for what is stored
    await until(lambda: scalar(
        team, "select dropped from conversations where seeker_tg_id = 601"), 2)
    assert await scalar(team, "select count(*) from conversation_messages") == 1

    visitor = team.fake.user(602, "Ivan")
    await visitor.ask("Just saying thanks", contains=GREETING)
    card = await card_after(team, 0, "Just saying thanks")
    seq = team.fake.seq
    await oper.press(card, "Read, no action")
    await card_after(team, seq, "Read, no action (by Oleh)")
    seq = team.fake.seq
    await visitor.send("Actually, can someone call me?")
    fresh = await card_after(team, seq, "can someone call me?")
    assert fresh.message_id != card.message_id and "New: waiting" in fresh.text
    assert fresh.has_button("Claim")

    stats = await rows(team, "select action, member_id from triage_events order by id")
    assert stats == [("spam", 3), ("read", 3)]  # Oleh is member 3


async def test_claimed_request_belongs_to_the_claimer(team: Team) -> None:
    _, oper, maria = await cast_with_seeker(team)
    await maria.ask("Hello", contains=GREETING)
    card = await card_after(team, 0, "Hello")
    seq = team.fake.seq
    await team.admin.press(card, "Claim")
    card = await card_after(team, seq, "Claimed by Admin 100")
    answer = await oper.press(card, "Make contact")
    assert answer.text == "Another operator claimed this request." and answer.show_alert
    assert await scalar(team, "select count(*) from contacts") == 0


@pytest.mark.parametrize("team", [{"seeker_flood_per_minute": 3}], indirect=True)
async def test_flooding_sender_is_slowed_down_and_counted(team: Team) -> None:
    _, _, maria = await cast_with_seeker(team)
    await maria.ask("m1", contains=GREETING)
    seq = team.fake.seq
    await maria.send("m2")
    await card_after(team, seq, "m2")
    seq = team.fake.seq
    await maria.send("m3")
    await card_after(team, seq, "m3")
    await maria.ask("m4", contains="slow down")
    seq = team.fake.seq
    await maria.send("m5")  # dropped quietly: one warning per minute
    # no answer to wait for: until it is counted (the clock must not move before that)
    await until(lambda: scalar(team, "select dropped from conversations"), 2)
    team.clock.advance(seconds=61)
    await maria.send("m6")
    card = await card_after(team, seq, "m6")
    assert "→ m4" not in card.text and "→ m5" not in card.text
    assert len([m for m in maria.chat.bot_messages if "slow down" in (m.text or "")]) == 1
    assert await scalar(team, "select dropped from conversations") == 2
    assert await scalar(team, "select count(*) from conversation_messages") == 4


@pytest.mark.parametrize("team", [{"seeker_max_text": 50, "seeker_max_file_mb": 0.001}],
                         indirect=True)
async def test_size_limits_and_no_team_command_for_seekers(team: Team) -> None:
    _, _, maria = await cast_with_seeker(team)
    await maria.ask("x" * 51, contains="too long (at most 50 characters)")
    await maria.send_document(b"x" * 2000, "big.bin")
    await maria.wait_reply(contains="too big")
    assert await scalar(team, "select count(*) from conversations") == 0
    # team commands are just words from a seeker: no dialog starts, nothing is listed
    await maria.ask("/new", contains=GREETING)
    for command in ("/queue", "/team", "/my", "/invite"):
        seq = team.fake.seq
        await maria.send(command)
        await card_after(team, seq, command)
    assert not any("What is their name" in (m.text or "") for m in maria.chat.bot_messages)
    assert await scalar(team, "select count(*) from contacts") == 0
    card = await card_after(team, 0, "/invite")
    assert (await maria.press(card, "Claim")).text == "This button is not for you."
    assert await scalar(team, "select triage from conversations") == "new"


async def test_multiplier_not_responding_then_closed_when_seeker_never_answers(team: Team) -> None:
    anna, _, maria, intro = await relayed_to_anna(team)
    await team.run_jobs()  # digest clocks start; nothing is due yet
    assert await scalar(team, "select relay_status from conversations") == "seeker_replied"

    team.clock.advance(hours=24)  # CONV_SILENT_HOURS: Maria waited a day for an answer
    seq = team.fake.seq
    await team.run_jobs()
    assert await scalar(team, "select relay_status from conversations") == "not_responding"
    await anna.wait_reply(contains="is waiting for your answer", after=seq)
    my = await anna.ask("/my", contains="Your contacts")
    assert "💬 multiplier not responding" in my.text
    team.clock.advance(hours=4)  # 13:00: the digests
    seq = team.fake.seq
    await team.run_jobs()
    digest = await team.admin.wait_reply(contains="Dispatch digest", after=seq)
    assert "Seekers waiting for an answer (multiplier not responding) (1)\n#1 Maria" in digest.text
    mine = await anna.wait_reply(contains="Your digest", after=seq)
    assert "Seekers waiting for your answer (1)\n#1 Maria" in mine.text

    await anna.send("Sorry for the delay, Maria!", reply_to=intro)
    await maria.wait_reply(contains="Sorry for the delay")
    await anna.wait_reply(contains="On its way to Maria P")
    assert await scalar(team, "select relay_status from conversations") == "awaiting_seeker"
    team.clock.advance(days=6)
    await team.run_jobs()
    assert await scalar(team, "select relay_status from conversations") == "awaiting_seeker"
    team.clock.advance(days=1)  # CONV_NO_ANSWER_DAYS after the first answer
    seq = team.fake.seq
    await team.run_jobs()
    assert await scalar(team, "select relay_status from conversations") == "closed"
    assert await rows(team, "select status, close_reason from contacts") == [("closed", "no_answer")]
    await anna.wait_reply(contains="never answered the first message", after=seq)
    await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1")
                             and "closed" in m.text.lower(), after=seq)


async def test_hand_back_ends_the_relay_and_the_team_chat_never_sees_relayed_words(
        team: Team) -> None:
    anna, _, maria, intro = await relayed_to_anna(team)
    seq = team.fake.seq
    await maria.send("Only for Anna: I live at Lesi 5")
    await anna.wait_reply(contains="Lesi 5", after=seq)
    await team.fake.wait_idle()
    # her details message may have been closed as a stale offer by a race of the fake (Yes
    # pressed before the offer's delivery was recorded); the button's data is the same
    await anna.press_data(intro, HandBack(contact_id=1).pack())
    await anna.wait_reply(contains="Why are you handing #1 back?")
    await anna.ask("Wrong area", contains="#1 is back with the dispatchers")
    assert await scalar(team, "select relay_status from conversations") == "none"
    assert await scalar(team, "select handler_since from conversations") is None
    seq = team.fake.seq
    await maria.send("Hello? Is anyone there?")
    card = await card_after(team, seq, "Is anyone there?")
    assert "Lesi" not in card.text and "Hello, I saw your ad" in card.text
    assert not any("Lesi" in (m.text or "") for m in team.group.bot_messages)
    assert await scalar(team, "select relay_status from conversations") == "none"


async def test_a_seeker_who_wrote_before_the_team_chat_was_bound_gets_a_card_once_it_is(
        team: Team) -> None:
    maria = team.fake.user(501, "Maria", last_name="P", username="maria_p")
    await team.admin.ask("/start", contains="Hello, Boss")
    await maria.ask("Hello, is anyone there?", contains=GREETING)
    await team.fake.wait_idle()
    assert team.group.bot_messages == []
    seq = team.fake.seq
    await team.bind()
    card = await card_after(team, seq, "Hello, is anyone there?")
    assert "New: waiting for an operator" in card.text and card.has_button("Claim")


async def test_an_edited_message_reaches_the_holder_as_an_edit(team: Team) -> None:
    anna, _, maria, _ = await relayed_to_anna(team)
    seq = team.fake.seq
    sent = await maria.send("Tomorrow at 5")
    await anna.wait_reply(contains="Tomorrow at 5", after=seq)
    seq = team.fake.seq
    await maria.edit(sent, "Tomorrow at 6")
    got = await anna.wait_reply(contains="Tomorrow at 6", after=seq)
    assert got.text == ("💬 From Maria P (#1) — reply to this message to answer.\n\n"
                        "✏️ edited: Tomorrow at 6")
    assert got.buttons == [["Share my contact"]]
    stored = await rows(team, "select text from conversation_messages where direction = 'in'"
                              " order by id desc limit 2")
    assert stored == [("Tomorrow at 6",), ("Tomorrow at 5",)]


async def test_warm_hand_off_tells_the_seeker_who_will_contact_them_and_who_after_reassigning(
        team: Team) -> None:
    anna, _, maria, _ = await relayed_to_anna(team)
    told = await maria.wait_reply(contains="from our team will contact you")
    assert told.text == ("Good news: Anna from our team will contact you within 2 days. "
                         "You can keep writing here.")
    olga = team.fake.user(202, "Olga Koval")
    await team.invite(olga, "Multiplier")
    await set_profile(team, olga, "Russian", "Podil")
    contact_card = await team.fake.wait_for(
        team.group.id, lambda m: (m.text or "").startswith("#1") and m.has_button("Reassign…"))
    seq = team.fake.seq
    await team.admin.press(contact_card, "Reassign…")
    confirm = await team.fake.wait_for(
        team.group.id, lambda m: m.has_button("Yes, take it from Anna"), after=seq)
    await team.admin.press(confirm, "Yes, take it from Anna")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1")
                                    and m.has_button("Offer to Olga"), after=seq)
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Olga")
    offer = await olga.wait_reply(contains="Can you reach", after=seq)
    await olga.press(offer, "Yes")
    again = await maria.wait_reply(contains="instead", after=seq)
    assert again.text == ("From now on Olga from our team will be in touch with you instead, "
                          "within 2 days.")
    assert "Koval" not in again.text  # the given name only
    stored = await rows(team, "select text from conversation_messages where direction = 'out'")
    assert [t for (t,) in stored if "from our team" in t] == [told.text, again.text]

    # closing says nothing to the seeker
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1")
                                    and m.has_button("Close…"), after=seq)
    seq = team.fake.seq
    await team.admin.press(card, "Close…")
    await team.fake.wait_idle()
    assert not [m for m in maria.chat.bot_messages if m.seq > seq]


@pytest.mark.parametrize("team", [{"seeker_handoff_notice": False}], indirect=True)
async def test_the_warm_hand_off_can_be_turned_off(team: Team) -> None:
    _, _, maria, _ = await relayed_to_anna(team, handoff=False)
    await team.fake.wait_idle()
    assert not any("will contact you" in (m.text or "") for m in maria.chat.bot_messages)


async def test_the_claimer_talks_with_the_seeker_before_dispatch(team: Team) -> None:
    _, oper, maria = await cast_with_seeker(team)
    await maria.ask("Hello, call me at +380 44 123 4567", contains=GREETING)
    card = await card_after(team, 0, "Hello")
    seq = team.fake.seq
    await oper.press(card, "Claim")
    copy = await oper.wait_reply(contains="You claimed the request", after=seq)
    assert "+380 44 123 4567" in copy.text and "Reply to this message" in copy.text
    await team.fake.wait_idle()

    # the operator answers with Reply; the seeker sees the bot only
    seq = team.fake.seq
    await oper.send("Hi Maria! Which part of Kyiv do you live in?", reply_to=copy)
    got = await maria.wait_reply(contains="Which part of Kyiv", after=seq)
    assert got.from_bot and got.text == "Hi Maria! Which part of Kyiv do you live in?"
    await oper.wait_reply(contains="On its way to Maria P", after=seq)

    # the seeker's answer reaches the claimer privately, not the team chat
    seq = team.fake.seq
    await maria.send("Obolon, near the metro")
    relayed = await oper.wait_reply(contains="Obolon, near the metro", after=seq)
    assert relayed.text == ("💬 From Maria P — reply to this message to answer.\n\n"
                            "Obolon, near the metro")
    await team.fake.wait_idle()
    assert not any("Obolon" in (m.text or "") or "Which part" in (m.text or "")
                   for m in team.group.bot_messages)
    seq = team.fake.seq
    await oper.send("Thank you, we will find someone near you.", reply_to=relayed)
    await maria.wait_reply(contains="we will find someone", after=seq)
    stored = await rows(team, "select direction, sender_member_id from conversation_messages"
                              " order by id")
    assert stored == [("in", None), ("out", 3), ("in", 3), ("out", 3)]  # Oleh is member 3
    assert await scalar(team, "select relay_status from conversations") == "none"


async def test_make_contact_guesses_language_and_area_from_the_conversation(team: Team) -> None:
    _, oper = await anna_and_oleh(team)
    await team.admin.ask("/area Obolon | Kyiv | | Оболонь", contains="Saved: Obolon (Kyiv)")
    maria = team.fake.user(501, "Мария", username="maria_p", language_code="ru")
    await maria.send("Здравствуйте, я из Оболони")
    card = await card_after(team, 0, "Оболони")
    seq = team.fake.seq
    assert (await oper.press(card, "Make contact")).text.startswith("Confirm the details")
    dialog = await oper.wait_reply(contains="Gender?", after=seq)
    assert "Language: Russian" in dialog.text and "Area: Obolon" in dialog.text
    assert dialog.buttons == [["F", "M", "Unknown"]]
    await card_after(team, seq, "Claimed by Oleh · confirming a contact")
    assert await scalar(team, "select count(*) from contacts") == 0  # not in dispatch yet
    again = await oper.press(card, "Make contact")
    assert again.text.startswith("You are confirming this contact already")
    seq = team.fake.seq
    await oper.press(dialog, "M")
    dialog = await oper.wait_reply(contains="Which language", after=seq)
    assert dialog.buttons[0][0] == "Russian" and dialog.buttons[-1][-1] == "Unknown"
    seq = team.fake.seq
    await oper.press(dialog, "Russian")
    dialog = await oper.wait_reply(contains="Where do they live", after=seq)
    assert dialog.buttons == [["Obolon", "Other…", "Unknown"]]
    seq = team.fake.seq
    await oper.press(dialog, "Other…")
    await oper.wait_reply(contains="Type the area", after=seq)
    seq = team.fake.seq
    await oper.send("Оболонь")
    dialog = await oper.wait_reply(contains="Ready.", after=seq)
    assert "Gender: male" in dialog.text and "Area: Obolon" in dialog.text
    send = dialog.button_data("Send to dispatch")
    assert (await oper.press(dialog, "Send to dispatch")).text.startswith("Sent to dispatch as #1")
    contact_card = await team.fake.wait_for(
        team.group.id, lambda m: (m.text or "").startswith("#1"), after=seq)
    assert "Obolon" in contact_card.text
    assert await rows(team, "select gender, language, area from contacts") == [
        ("m", "ru", "Obolon")]
    await card_after(team, seq, "Contact #1 (by Oleh)")
    again = await oper.press_data(dialog, send)  # a double press
    assert again.text.startswith("Already done")
    assert await scalar(team, "select count(*) from contacts") == 1
    drafts = await rows(team, "select action from audit_log where entity = 'conversation'"
                              " and action = 'draft'")
    assert len(drafts) == 2  # opened, the gender (the language and area stayed the guesses)


async def test_confirming_a_contact_refuses_others_and_forged_buttons(team: Team) -> None:
    _, oper, maria = await cast_with_seeker(team)
    await maria.send("Hello")
    card = await card_after(team, 0, "Hello")
    seq = team.fake.seq
    await oper.press(card, "Make contact")
    dialog = await oper.wait_reply(contains="Gender?", after=seq)
    other = await team.admin.press(card, "Make contact")
    assert other.text == "Another operator claimed this request."
    admins_chat = team.admin.chat.bot_messages[-1]
    stolen = await team.admin.press_data(admins_chat, DraftSend(conversation_id=1).pack())
    assert stolen.text == "Another operator claimed this request."
    forged = await oper.press_data(dialog, DraftPick(conversation_id=1, field=DraftField.GENDER,
                                                     value="x").pack())
    assert forged.text == "This button is out of date or invalid."
    missing = await oper.press_data(dialog, DraftSend(conversation_id=99).pack())
    assert missing.show_alert
    assert await scalar(team, "select count(*) from contacts") == 0


@pytest.mark.parametrize("team", [{"satisfaction_check_days": 3}], indirect=True)
async def test_the_seekers_side_from_first_words_to_the_multipliers_answer(team: Team) -> None:
    """The issue's bar: a Russian seeker from Obolon, a conversation before dispatch, a
    guessed record the operator confirms (gender too), a warm hand-off, the multiplier's
    answer, met, the satisfaction question, and a "no" raised to the team."""
    anna, oper = await anna_and_oleh(team)
    await team.admin.ask("/area Obolon | Kyiv | | Оболонь", contains="Saved: Obolon (Kyiv)")
    maria = team.fake.user(501, "Мария", username="maria_p", language_code="ru")
    await maria.send("Здравствуйте, я из Оболони")
    card = await card_after(team, 0, "Оболони")
    seq = team.fake.seq
    await oper.press(card, "Claim")
    copy = await oper.wait_reply(contains="You claimed the request", after=seq)
    await team.fake.wait_idle()
    seq = team.fake.seq
    await oper.send("Здравствуйте! Когда вам удобно встретиться?", reply_to=copy)
    await maria.wait_reply(contains="Когда вам удобно", after=seq)
    seq = team.fake.seq
    await maria.send("Вечером, после шести")
    await oper.wait_reply(contains="после шести", after=seq)
    card = await card_after(team, 0, "Claimed by Oleh")
    seq = team.fake.seq
    answer = await make_contact(team, oper, card, gender="F", language="Russian", area="Obolon")
    assert answer.text.startswith("Sent to dispatch as #1")
    contact_card = await team.fake.wait_for(
        team.group.id, lambda m: (m.text or "").startswith("#1"), after=seq)
    assert await rows(team, "select gender, language, area from contacts") == [
        ("f", "ru", "Obolon")]
    assert "после шести" not in contact_card.text and "maria_p" not in contact_card.text
    offer = await offer_to_anna(team, anna, contact_card)
    seq = team.fake.seq
    await anna.press(offer, "Yes")
    intro = await anna.wait_reply(contains="wrote to the team's bot", after=seq)
    assert "Вечером, после шести" in intro.text
    await maria.wait_reply(contains="Anna", after=seq)  # in Russian once the lead translates
    await team.fake.wait_idle()
    seq = team.fake.seq
    await anna.send("Мария, это Анна. Созвонимся завтра?", reply_to=intro)
    await maria.wait_reply(contains="Созвонимся завтра?", after=seq)
    assert not any("после шести" in (m.text or "") for m in team.group.bot_messages)
    for stage in (Status.REACHED, Status.MET):
        await anna.press_data(intro, Stage(contact_id=1, stage=stage).pack())
    await team.fake.wait_idle()
    assert await scalar(team, "select status from contacts") == "met"
    team.clock.advance(days=3, hours=1)
    seq = team.fake.seq
    await team.run_jobs()
    question = await maria.wait_reply(predicate=lambda m: len(m.buttons) == 1
                                      and len(m.buttons[0]) == 2, after=seq)
    seq = team.fake.seq
    await maria.press(question, question.buttons[0][1])  # "No", in Russian once translated
    note = await team.fake.wait_for(team.group.id, lambda m: "did not help" in (m.text or ""),
                                    after=seq)
    assert note.text.startswith("😕 #1 Мария (F") and note.buttons == [["Find someone else"]]


async def test_merged_away_while_relayed_the_seeker_still_reaches_the_holder(team: Team) -> None:
    anna, oper = await anna_and_oleh(team)
    await team.admin.ask("/area Obolon | Kyiv | | Оболонь", contains="Saved: Obolon (Kyiv)")
    await enter_contact(oper, "Мария Иванова", "+380 44 123 4567", "Obolon", done="Saved as #1")
    maria = team.fake.user(501, "Мария", last_name="Иванова", language_code="ru")
    await maria.send("Здравствуйте, я из Оболони")
    card = await card_after(team, 0, "Оболони")
    seq = team.fake.seq
    await make_contact(team, oper, card, gender="F", language="Russian", area="Obolon")
    card2 = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2")
                                     and m.has_button("Merge with #1"), after=seq)
    offer = await offer_to_anna(team, anna, card2)
    seq = team.fake.seq
    await anna.press(offer, "Yes")
    await anna.wait_reply(contains="wrote to the team's bot", after=seq)
    card2 = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2")
                                     and m.has_button("Merge with #1"), after=seq)
    seq = team.fake.seq
    await team.admin.press(card2, "Merge with #1")
    choices = await team.fake.wait_for(team.group.id, lambda m: m.has_button("Merge, newest values"),
                                       after=seq)
    assert (await team.admin.press(choices, "Merge, newest values")).text == "Merged #2 into #1."
    await team.fake.wait_idle()
    seq = team.fake.seq
    await maria.send("Вы здесь?")
    got = await anna.wait_reply(contains="Вы здесь?", after=seq)
    assert "(#1)" in got.text
    assert await scalar(team, "select contact_id from conversations") == 1


@pytest.mark.parametrize("team", [{"satisfaction_check_days": 3}], indirect=True)
async def test_satisfaction_check_after_met_and_a_no_raises_a_team_note(team: Team) -> None:
    anna, _, maria, intro = await relayed_to_anna(team)
    for stage in (Status.REACHED, Status.MET):
        await anna.press_data(intro, Stage(contact_id=1, stage=stage).pack())
    await team.fake.wait_idle()
    assert await scalar(team, "select status from contacts") == "met"
    team.clock.advance(days=2)
    await team.run_jobs()
    assert not any("Did the meeting help" in (m.text or "") for m in maria.chat.bot_messages)
    team.clock.advance(days=1, hours=1)
    seq = team.fake.seq
    await team.run_jobs()
    question = await maria.wait_reply(contains="Did the meeting help you?", after=seq)
    assert question.buttons == [["Yes, it helped", "No"]]
    await team.run_jobs()  # asked once
    assert len([m for m in maria.chat.bot_messages if "Did the meeting" in (m.text or "")]) == 1
    seq = team.fake.seq
    await maria.press(question, "No")
    await maria.wait_reply(contains="We will look for someone else", after=seq)
    note = await team.fake.wait_for(team.group.id, lambda m: "did not help" in (m.text or ""),
                                    after=seq)
    assert note.text.startswith("😕 #1 Maria") and "Anna" in note.text
    assert note.buttons == [["Find someone else"]] and "maria_p" not in note.text
    again = await maria.press_data(question, Satisfied(conversation_id=1, helped=True).pack())
    assert again.show_alert  # answered once
    ivan = team.fake.user(602, "Ivan")  # another seeker forges Maria's answer
    greeting = await ivan.ask("Hello", contains=GREETING)
    forged = await ivan.press_data(greeting, Satisfied(conversation_id=1, helped=False).pack())
    assert forged.show_alert
    assert len([m for m in team.group.bot_messages if "did not help" in (m.text or "")]) == 1
    seq = team.fake.seq
    await team.admin.press(note, "Find someone else")
    await team.fake.wait_for(team.group.id, lambda m: m.has_button("Yes, take it from Anna"),
                             after=seq)


@pytest.mark.parametrize("team", [{"satisfaction_check_days": 3}], indirect=True)
async def test_no_answer_to_the_satisfaction_check_is_raised_too(team: Team) -> None:
    anna, _, maria, intro = await relayed_to_anna(team)
    for stage in (Status.REACHED, Status.MET):
        await anna.press_data(intro, Stage(contact_id=1, stage=stage).pack())
    await team.fake.wait_idle()
    team.clock.advance(days=3, hours=1)
    seq = team.fake.seq
    await team.run_jobs()
    await maria.wait_reply(contains="Did the meeting help you?", after=seq)
    team.clock.advance(days=3, hours=1)
    seq = team.fake.seq
    await team.run_jobs()
    await team.run_jobs()
    note = await team.fake.wait_for(team.group.id, lambda m: "never answered whether"
                                    in (m.text or ""), after=seq)
    assert note.buttons == [["Find someone else"]]
    assert len([m for m in team.group.bot_messages if "never answered whether" in (m.text or "")]) == 1
