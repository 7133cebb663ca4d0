"""The fake Telegram works with a real aiogram Bot and Dispatcher polling it."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher, F, Router, html
from aiogram.client.default import DefaultBotProperties
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.methods import SendPoll
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberMember,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    MessageOriginHiddenUser,
    MessageOriginUser,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
    Update,
)
from pydantic import ValidationError

from . import CallbackAnswer, FakeTelegram, FakeUser, WaitTimeout

pytestmark = pytest.mark.asyncio

TOKEN = "123456:TEST-TOKEN"
GROUP_ID = -100500


class EchoBot:
    """A small bot exercising what the dispatch bot uses: commands, inline buttons,
    callback edits and answers, forwards, files."""

    def __init__(self) -> None:
        self.update_ids: list[int] = []
        self.dispatcher = Dispatcher()
        self.dispatcher.update.outer_middleware(self._remember_update)
        self.dispatcher.include_router(self._router())
        self._counter = itertools.count(1)

    async def _remember_update(self, handler: Any, event: TelegramObject, data: dict) -> Any:
        assert isinstance(event, Update)
        self.update_ids.append(event.update_id)
        return await handler(event, data)

    def _router(self) -> Router:
        router = Router()
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text="Yes", callback_data="choice:yes"),
                    InlineKeyboardButton(text="No", callback_data="choice:no"),
                ],
                [InlineKeyboardButton(text="Count", callback_data="count")],
                [InlineKeyboardButton(text="Silent", callback_data="silent")],
            ]
        )

        @router.message(CommandStart(deep_link=True))
        async def start_with_payload(message: Message, command: CommandObject) -> None:
            await message.answer(f"Start payload: {html.quote(command.args or '')}")

        @router.message(CommandStart())
        async def start(message: Message) -> None:
            await message.answer(f"Welcome, <b>{html.quote(message.from_user.first_name)}</b>!")

        @router.message(Command("bind"))
        async def bind(message: Message) -> None:
            await message.answer(f"Bound chat {message.chat.id} by @{message.from_user.username}")

        @router.message(F.forward_origin)
        async def forwarded(message: Message) -> None:
            origin = message.forward_origin
            if isinstance(origin, MessageOriginUser):
                who = f"user {origin.sender_user.id} {origin.sender_user.first_name}"
            elif isinstance(origin, MessageOriginHiddenUser):
                who = f"hidden {origin.sender_user_name}"
            else:
                who = "unknown"
            await message.answer(f"Forward from {html.quote(who)}: {html.quote(message.text)}")

        @router.message(F.document)
        async def document(message: Message, bot: Bot) -> None:
            data = (await bot.download(message.document)).read()
            await message.answer_document(
                BufferedInputFile(data[::-1], filename=f"reversed-{message.document.file_name}"),
                caption=f"Got {len(data)} bytes",
            )

        @router.message(F.photo)
        async def photo(message: Message) -> None:
            await message.answer_photo(message.photo[-1].file_id, caption="Same photo back")

        @router.message(F.voice)
        async def voice(message: Message) -> None:
            await message.answer(f"Voice of {message.voice.duration}s")

        @router.message(F.text)
        async def echo(message: Message) -> None:
            await message.answer(f"Echo: {html.quote(message.text)}", reply_markup=keyboard)

        @router.callback_query(F.data.startswith("choice:"))
        async def choice(callback: CallbackQuery) -> None:
            value = callback.data.split(":", 1)[1]
            await callback.message.edit_text(f"You chose <b>{value}</b>")
            await callback.answer(f"Got {value}")

        @router.callback_query(F.data == "count")
        async def count(callback: CallbackQuery) -> None:
            await callback.answer(str(next(self._counter)))

        @router.callback_query(F.data == "silent")
        async def silent(callback: CallbackQuery) -> None:
            """Never answers: the press must time out."""

        @router.callback_query()
        async def unknown(callback: CallbackQuery) -> None:
            await callback.answer("Unknown button", show_alert=True)

        return router


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, bot_username="dispatch_test_bot") as fake:
        yield fake
    fake.check()  # no unknown method called, no crash of the fake


@pytest_asyncio.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    bot = fake.create_bot(default=DefaultBotProperties(parse_mode="HTML"))
    yield bot
    await bot.session.close()


@pytest_asyncio.fixture
async def echo(fake: FakeTelegram, bot: Bot) -> AsyncIterator[EchoBot]:
    echo_bot = EchoBot()
    async with fake.run_polling(echo_bot.dispatcher, bot):
        yield echo_bot
    assert fake.unknown_calls == []


@pytest.fixture
def alice(fake: FakeTelegram) -> FakeUser:
    return fake.user(1001, "Alice", username="alice", language_code="en")


# ---------------------------------------------------------------------- conversations


async def test_echo_reply_with_buttons_then_press_edits_and_answers(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    sent = await alice.send("hello <world>")
    reply = await alice.wait_reply(contains="Echo:")

    assert sent.chat_id == alice.id and not sent.from_bot
    assert reply.from_bot and reply.chat_id == alice.id
    assert reply.text == "Echo: hello <world>"  # what the user sees
    assert reply.html == "Echo: hello &lt;world&gt;"  # what the bot sent
    assert reply.buttons == [["Yes", "No"], ["Count"], ["Silent"]]
    assert reply.button_data("Yes") == "choice:yes" and reply.has_button("Cou")
    assert fake.chat(alice.id).messages == [sent, reply]

    answer = await alice.press(reply, "Yes")

    assert answer == CallbackAnswer(text="Got yes", show_alert=False)
    assert reply.text == "You chose yes" and reply.edited == 1
    assert reply.html == "You chose <b>yes</b>"
    assert reply.entities == [{"type": "bold", "offset": 10, "length": 3}]
    assert reply.buttons == []  # editMessageText without reply_markup drops the keyboard
    assert fake.chat(alice.id).last_bot_message is reply
    assert [m for m, _ in fake.calls if m.startswith(("edit", "answer"))] == [
        "editmessagetext",
        "answercallbackquery",
    ]


async def test_wait_for_sees_edits_after_a_given_seq(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    reply = await alice.ask("hi", contains="Echo: hi")
    seq = fake.seq
    alice.press_nowait(reply, "No")

    edited = await fake.wait_for(alice.id, lambda m: "chose" in (m.text or ""), after=seq)

    assert edited is reply and edited.seq > seq and edited.text == "You chose no"


async def test_commands_get_bot_command_entities(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    group = fake.group(GROUP_ID, "Dispatch team")

    welcome = await alice.ask("/start", contains="Welcome")
    payload = await alice.ask("/start ref_42", contains="Start payload")
    bound = await alice.ask("/bind@dispatch_test_bot", contains="Bound", chat=group)

    assert welcome.text == "Welcome, Alice!"
    assert payload.text == "Start payload: ref_42"
    assert bound.text == f"Bound chat {GROUP_ID} by @alice" and bound.chat_id == GROUP_ID
    command = group.messages[0].to_api()
    assert command["chat"] == {"id": GROUP_ID, "type": "supergroup", "title": "Dispatch team"}
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    mention = await alice.send("reach her at @maria_k")
    assert mention.entities == [{"type": "mention", "offset": 13, "length": 8}]


async def test_forwards_carry_forward_origin(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    maria = {"id": 777, "first_name": "Maria", "username": "maria_k"}

    visible = await alice.forward("I need a ride", from_user=maria)
    reply = await alice.wait_reply(contains="Forward from")
    hidden = await alice.forward("Me too", sender_name="Maria K")
    hidden_reply = await alice.wait_reply(contains="Forward from")

    assert reply.text == "Forward from user 777 Maria: I need a ride"
    assert hidden_reply.text == "Forward from hidden Maria K: Me too"
    assert visible.to_api()["forward_from"]["username"] == "maria_k"
    assert hidden.to_api()["forward_sender_name"] == "Maria K"


async def test_files_round_trip_through_get_file_and_uploads(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    await alice.send_document(b"name,phone\nMaria,+100", "seekers.csv")
    returned = await alice.wait_reply(contains="Got 21 bytes")
    await alice.send_photo(b"\x89PNG fake image")
    photo = await alice.wait_reply(contains="Same photo back")
    await alice.send_voice(b"OggS", duration=7)
    voice = await alice.wait_reply(contains="Voice of")

    assert returned.document["file_name"] == "reversed-seekers.csv"
    assert returned.document["mime_type"] == "text/csv"
    assert returned.document_bytes == b"name,phone\nMaria,+100"[::-1]
    assert returned.caption == "Got 21 bytes"
    assert photo.photo == b"\x89PNG fake image"
    assert voice.text == "Voice of 7s"


async def test_fifty_concurrent_presses_are_all_answered(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    reply = await alice.ask("count me", contains="Echo")

    presses = [alice.press_nowait(reply, "Count") for _ in range(50)]
    answers = await asyncio.gather(*presses)

    assert sorted(int(a.text) for a in answers) == list(range(1, 51))
    assert len({p.query_id for p in presses}) == 50


async def test_forged_callback_data_and_unanswered_press(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    reply = await alice.ask("buttons", contains="Echo")

    forged = await alice.press_data(reply, "raw:forged:data")
    with pytest.raises(AssertionError, match="answerCallbackQuery"):
        await alice.press(reply, "Silent", timeout=0.3)
    with pytest.raises(AssertionError, match=r"available buttons: \['Yes', 'No', 'Count'"):
        alice.press_nowait(reply, "Maybe")

    assert forged == CallbackAnswer(text="Unknown button", show_alert=True)


async def test_duplicate_update_id_is_delivered_again(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    update_id = fake.next_update_id()
    message = {
        "message_id": 99,
        "date": 1_700_000_000,
        "chat": alice.chat.to_api(),
        "from": alice.to_api(),
        "text": "twice",
    }

    fake.inject_update({"update_id": update_id, "message": message})
    await alice.wait_reply(contains="Echo: twice")
    fake.inject_update({"update_id": update_id, "message": message})
    await fake.wait_for(alice.id, lambda m: m.text == "Echo: twice", after=fake.seq)
    await fake.wait_idle()

    assert echo.update_ids.count(update_id) == 2
    assert len(alice.chat.bot_messages) == 2


async def test_wait_idle_and_wait_timeouts_explain_themselves(
    fake: FakeTelegram, echo: EchoBot, alice: FakeUser
) -> None:
    await alice.ask("one", contains="Echo: one")
    await fake.wait_idle()
    calls_before = len(fake.calls_of("sendMessage"))

    with pytest.raises(AssertionError, match="Echo: one") as error:
        await alice.wait_reply(contains="never sent", timeout=0.2)

    assert isinstance(error.value, WaitTimeout) and isinstance(error.value, TimeoutError)
    assert len(fake.calls_of("sendMessage")) == calls_before


async def test_leaving_run_polling_lets_running_handlers_finish(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    gate = asyncio.Event()
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def slow(message: Message) -> None:
        await message.answer("started")
        await gate.wait()
        await message.answer("finished")

    async with fake.run_polling(dispatcher, bot) as polling:
        await alice.ask("go", contains="started")
        polling.add_done_callback(lambda _: gate.set())  # handler resumes once polling stopped

    assert [m.text for m in alice.chat.bot_messages] == ["started", "finished"]


# ---------------------------------------------------------------------- Bot API semantics


async def test_error_injection_maps_to_aiogram_exceptions(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    rule = fake.fail_next("sendMessage", error_code=429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(alice.id, "first")
    await bot.send_message(alice.id, "second")  # only the next call failed

    fake.block(alice.id)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(alice.id, "blocked")
    fake.unblock(alice.id)

    intruder = Bot("654321:WRONG", session=bot.session)
    with pytest.raises(TelegramUnauthorizedError):
        await intruder.get_me()

    assert retry.value.retry_after == 3 and rule.hits == 1 and rule.remaining == 0
    assert [m.text for m in alice.chat.bot_messages] == ["second"]


async def test_failures_can_target_one_chat_until_cleared(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    bob = fake.user(1002, "Bob")
    fake.fail_next("SendMessage", error_code=502, times=None, chat_id=bob.id)

    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(bob.id, "lost")
    await bot.send_message(alice.id, "delivered")
    fake.clear_failures()
    await bot.send_message(bob.id, "delivered too")

    assert [m.text for m in bob.chat.bot_messages] == ["delivered too"]


async def test_refused_429_uses_telegrams_envelope_and_changes_nothing(
    fake: FakeTelegram, alice: FakeUser
) -> None:
    rule = fake.refuse("sendMessage", retry_after=7)
    url = f"{fake.base_url}/bot{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as http:
        for text in ("first", "second"):
            async with http.post(url, json={"chat_id": alice.id, "text": text}) as response:
                if text == "first":
                    refused = response.status, await response.json()

    assert refused == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    assert [m.text for m in alice.chat.messages] == ["second"]  # the refused one not stored
    assert (rule.hits, rule.remaining) == (1, 0)
    assert fake.call_counts["sendMessage"] == fake.call_counts["SENDMESSAGE"] == 2
    assert (fake.refused_counts["sendMessage"], fake.ok_counts["sendMessage"]) == (1, 1)
    assert "sendMessage" in fake.call_counts and fake.call_counts["sendPhoto"] == 0


async def test_refuse_for_ever_until_cleared_and_only_the_named_methods(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    """A server that never takes photos or documents; text still goes through."""
    photos = fake.refuse("sendPhoto", times=None, status=400)
    fake.refuse("sendDocument", times=None, status=400, description="Bad Request: too big")

    for _ in range(3):
        with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
            await bot.send_photo(alice.id, BufferedInputFile(b"PNG", filename="a.png"))
    with pytest.raises(TelegramBadRequest, match="too big") as too_big:
        await bot.send_document(alice.id, BufferedInputFile(b"CSV", filename="a.csv"))
    await bot.send_message(alice.id, "text instead")

    assert [m.kind for m in alice.chat.messages] == ["text"] and fake.files == {}
    assert photos.hits == 3 and photos.remaining is None
    assert too_big.value.message == "Bad Request: too big"
    assert fake.refused_counts == {"sendphoto": 3, "senddocument": 1}
    assert fake.ok_counts["sendMessage"] == 1

    fake.clear_failures()
    await bot.send_photo(alice.id, BufferedInputFile(b"PNG", filename="a.png"))
    assert [m.kind for m in alice.chat.messages] == ["text", "photo"]


async def test_refuse_one_chat_with_403_and_edits_with_400(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    bob = fake.user(1002, "Bob")
    team = fake.group(GROUP_ID, "Dispatch team")
    fake.refuse("sendMessage", times=2, chat_id=bob.id, status=403)
    fake.refuse("sendMessage", chat_id=GROUP_ID, status=403)
    sent = await bot.send_message(alice.id, "original")
    fake.refuse("editMessageText", status=400)

    for _ in range(2):
        with pytest.raises(TelegramForbiddenError) as blocked:
            await bot.send_message(bob.id, "lost")
    with pytest.raises(TelegramForbiddenError) as kicked:
        await bot.send_message(GROUP_ID, "lost")
    with pytest.raises(TelegramBadRequest) as not_found:
        await bot.edit_message_text("changed", chat_id=alice.id, message_id=sent.message_id)
    await bot.send_message(bob.id, "third time lucky")

    assert blocked.value.message == "Forbidden: bot was blocked by the user"
    assert kicked.value.message == "Forbidden: bot was kicked from the supergroup chat"
    assert not_found.value.message == "Bad Request: message to edit not found"
    original = alice.chat.bot_messages[0]
    assert (original.text, original.edited) == ("original", 0)  # the refused edit changed nothing
    assert [m.text for m in bob.chat.bot_messages] == ["third time lucky"]
    assert team.bot_messages == []
    assert fake.call_counts["sendMessage"] == 5 and fake.refused_counts["sendMessage"] == 3
    with pytest.raises(ValueError, match="does not implement"):
        fake.refuse("sendPigeon")


async def test_an_unknown_method_is_answered_404_and_fails_the_check(
    fake: FakeTelegram, alice: FakeUser
) -> None:
    fake.check()  # nothing wrong yet
    async with aiohttp.ClientSession() as http:
        url = f"{fake.base_url}/bot{TOKEN}/sendDice"
        async with http.post(url, json={"chat_id": alice.id}) as response:
            answer = response.status, await response.json()

    assert answer == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert fake.unexpected == ["sendDice"] and fake.call_counts["sendDice"] == 1
    assert alice.chat.messages == []
    with pytest.raises(AssertionError) as failed:
        fake.check()
    assert "does not implement: sendDice (1 call)" in str(failed.value)
    fake.unexpected.clear()  # expected here: let the fixture's check pass


async def test_wait_idle_fails_while_updates_are_not_fetched(
    fake: FakeTelegram, alice: FakeUser
) -> None:
    await alice.send("nobody polls")

    with pytest.raises(AssertionError, match="1 unconfirmed updates"):
        await fake.wait_idle(timeout=0.2)
    with pytest.raises(ValidationError):
        fake.inject_update({"message": {"text": "no chat, no date"}})


async def test_bad_requests_use_telegram_descriptions(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    sent = await bot.send_message(alice.id, "<b>Hi</b>")

    long_data = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="X", callback_data="d" * 65)]]
    )
    cases: dict[str, Callable[[], Awaitable[object]]] = {
        "message is not modified": lambda: bot.edit_message_text(
            "<b>Hi</b>", chat_id=alice.id, message_id=sent.message_id
        ),
        "message to edit not found": lambda: bot.edit_message_text(
            "x", chat_id=alice.id, message_id=999
        ),
        "message to delete not found": lambda: bot.delete_message(alice.id, 999),
        "message is too long": lambda: bot.send_message(alice.id, "x" * 4097),
        "chat not found": lambda: bot.send_message(424242, "hi"),
        "can't parse entities": lambda: bot.send_message(alice.id, "Hello <Maria>"),
        "BUTTON_DATA_INVALID": lambda: bot.send_message(alice.id, "x", reply_markup=long_data),
        "query is too old": lambda: bot.answer_callback_query("no-such-query"),
    }
    for description, request in cases.items():
        with pytest.raises(TelegramBadRequest, match=description):
            await request()

    assert await bot.send_message(alice.id, "x" * 4096)
    assert await bot.send_message(alice.id, "<b>" + "x" * 4096 + "</b>")  # tags not counted


async def test_edit_delete_copy_forward_keep_state(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    group = fake.group(GROUP_ID, "Dispatch team")
    buttons = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Open", callback_data="open")]]
    )
    sent = await bot.send_message(alice.id, "Offer", reply_markup=buttons)
    stored = alice.chat.last_bot_message

    edited = await bot.edit_message_reply_markup(
        chat_id=alice.id, message_id=sent.message_id, reply_markup=None
    )
    copy = await bot.copy_message(GROUP_ID, alice.id, sent.message_id)
    forwarded = await bot.forward_message(GROUP_ID, alice.id, sent.message_id)
    assert await bot.delete_message(alice.id, sent.message_id)

    assert isinstance(edited, Message) and edited.reply_markup is None
    assert stored.edited == 1 and stored.deleted and alice.chat.last_bot_message is None
    assert [m.text for m in group.bot_messages] == ["Offer", "Offer"]
    assert group.get(copy.message_id).forward_origin is None
    assert forwarded.forward_origin.sender_user.id == fake.bot_id


async def test_reply_keyboards_are_stored(fake: FakeTelegram, bot: Bot, alice: FakeUser) -> None:
    keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Share phone")]])
    await bot.send_message(alice.id, "Choose", reply_markup=keyboard)
    assert alice.chat.reply_keyboard == [["Share phone"]]

    await bot.send_message(alice.id, "Type it", reply_markup=ForceReply())
    await bot.send_message(alice.id, "Thanks", reply_markup=ReplyKeyboardRemove())

    assert alice.chat.reply_keyboard is None
    assert alice.chat.bot_messages[1].reply_markup == {"force_reply": True}
    assert alice.chat.bot_messages[0].buttons == []  # .buttons is inline buttons only


async def test_chat_members_commands_webhook(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    fake.group(GROUP_ID, "Dispatch team")
    fake.set_admin(GROUP_ID, alice.id)
    bob = fake.user(1002, "Bob")

    admin = await bot.get_chat_member(GROUP_ID, alice.id)
    member = await bot.get_chat_member(GROUP_ID, bob.id)
    chat = await bot.get_chat(GROUP_ID)
    await bot.set_my_commands([BotCommand(command="new", description="New seeker")])
    commands = await bot.get_my_commands()
    await bot.set_webhook("https://example.invalid/hook")
    webhook = await bot.get_webhook_info()
    await bot.delete_webhook(drop_pending_updates=True)
    await bot.send_chat_action(alice.id, "typing")

    assert isinstance(admin, ChatMemberAdministrator) and isinstance(member, ChatMemberMember)
    assert chat.title == "Dispatch team"
    assert [c.command for c in commands] == ["new"]
    assert webhook.url == "https://example.invalid/hook" and fake.webhook == {}
    with pytest.raises(TelegramBadRequest, match="user not found"):
        await bot.get_chat_member(GROUP_ID, 31337)


async def test_unknown_methods_are_404_and_recorded(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    with pytest.raises(TelegramNotFound):
        await bot(SendPoll(chat_id=alice.id, question="?", options=["a", "b"]))

    assert [method for method, _ in fake.unknown_calls] == ["sendpoll"]
    assert fake.unexpected == ["sendPoll"]
    with pytest.raises(AssertionError, match=r"does not implement: sendPoll \(1 call\)"):
        fake.check()
    fake.unexpected.clear()  # expected here: let the fixture's check pass


# ---------------------------------------------------------------------- raw HTTP


async def test_raw_http_accepts_json_form_and_query_and_wraps_results(
    fake: FakeTelegram, alice: FakeUser
) -> None:
    base = f"{fake.base_url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as http:

        async def call(http_method: str, url: str, **kwargs: Any) -> tuple[int, dict]:
            async with http.request(http_method, url, **kwargs) as response:
                return response.status, await response.json()

        text = {"chat_id": alice.id, "text": "a"}
        _, as_json = await call("POST", f"{base}/SENDMESSAGE", json=text)
        _, as_form = await call("POST", f"{base}/sendMessage", data={**text, "text": "b"})
        _, as_query = await call("GET", f"{base}/sendmessage", params={**text, "text": "c"})
        unknown = await call("POST", f"{base}/noSuchMethod")
        unauthorized = await call("POST", f"{fake.base_url}/bot1:BAD/getMe")

    assert as_json["ok"] and as_json["result"]["from"]["id"] == fake.bot_id
    assert [as_form["result"]["text"], as_query["result"]["text"]] == ["b", "c"]
    assert unknown == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert unauthorized == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert fake.calls_of("sendMessage")[1] == {"chat_id": alice.id, "text": "b"}
    assert fake.unexpected == ["noSuchMethod"]
    fake.unexpected.clear()


async def test_long_poll_returns_on_update_and_on_stop(
    fake: FakeTelegram, alice: FakeUser
) -> None:
    url = f"{fake.base_url}/bot{TOKEN}/getUpdates"
    async with aiohttp.ClientSession() as http:

        async def poll(**params: Any) -> list[dict[str, Any]]:
            async with http.post(url, json={"timeout": 30, **params}) as response:
                return (await response.json())["result"]

        async with asyncio.timeout(3):  # far below the 30 s long-poll timeout
            waiting = asyncio.create_task(poll())
            await fake.wait_until(lambda: fake.get_updates_count == 1)
            await alice.send("wake up")
            first = await waiting

            confirmed = asyncio.create_task(poll(offset=first[-1]["update_id"] + 1))
            await fake.wait_until(lambda: fake.get_updates_count == 2 and fake.updates.drained)
            await fake.stop()
            assert await confirmed == []

    assert [u["message"]["text"] for u in first] == ["wake up"]


async def test_media_replies_and_resending_media_by_file_id(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    """What relaying needs: a user's media sent as a reply, and the bot sending the same
    photo, voice and document on to another chat by file_id alone."""
    bob = fake.user(1002, "Bob")
    prompt = await bot.send_message(alice.id, "Reply to me")
    target = fake.chat(alice.id).get(prompt.message_id)
    assert target is not None
    photo = await alice.send_photo(b"PHOTO", caption="look", reply_to=target)
    voice = await alice.send_voice(b"OggS", reply_to=target)
    doc = await alice.send_document(b"DOC", "a.pdf", reply_to=target)
    for sent in (photo, voice, doc):
        assert sent.to_api()["reply_to_message"]["message_id"] == prompt.message_id

    ids = [photo.media[-1]["file_id"], voice.media["file_id"], doc.media["file_id"]]
    await bot.send_photo(bob.id, ids[0], caption="<b>from Alice</b>")
    await bot.send_voice(bob.id, ids[1])
    await bot.send_document(bob.id, ids[2], caption="file")
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(bob.id, "no-such-file")
    got = fake.chat(bob.id).bot_messages
    assert [m.kind for m in got[-3:]] == ["photo", "voice", "document"]
    assert got[-3].photo == b"PHOTO" and got[-3].text == "from Alice"
    assert got[-2].voice_bytes == b"OggS"
    assert got[-1].document_bytes == b"DOC" and got[-1].document["file_name"] == "a.pdf"


# ---------------------------------------------------------------------- scale-out modes


async def test_flood_limits_answer_429_with_retry_after(fake: FakeTelegram, alice: FakeUser) -> None:
    now = [1000.0]
    rules = fake.enforce_flood_limits(clock=lambda: now[0])
    group = fake.group(GROUP_ID, "Team")
    others = [fake.user(2000 + n, f"U{n}") for n in range(40)]
    url = f"{fake.base_url}/bot{TOKEN}/"
    async with aiohttp.ClientSession() as http:
        async def send(chat_id: int, method: str = "sendMessage", **extra: Any) -> int:
            async with http.post(url + method, json={"chat_id": chat_id, **extra}) as answer:
                body = await answer.json()
                return body.get("parameters", {}).get("retry_after", 0) if answer.status == 429 \
                    else answer.status

        assert [await send(alice.id, text="a"), await send(alice.id, text="b")] == [200, 1]
        message_id = alice.chat.messages[-1].message_id  # an edit is not a new message
        assert await send(alice.id, "editMessageText", message_id=message_id, text="c") == 200
        assert [await send(GROUP_ID, text=str(n)) for n in range(21)][-2:] == [200, 60]
        statuses = [await send(user.id, text="x") for user in others]
        now[0] += 1.0  # a second later the overall window is free again, the group's is not
        later = [await send(alice.id, text="d"), await send(GROUP_ID, text="late")]
    assert statuses.count(200) == 30 - 21 and statuses[9:] == [1] * 31  # 1 + 20 + 9 = 30
    assert later == [200, 59]
    assert rules.refused == {"private": 1, "group": 2, "overall": 31}
    assert len(group.messages) == 20


async def test_updates_are_pushed_to_the_webhook_until_answered(
    fake: FakeTelegram, bot: Bot, alice: FakeUser
) -> None:
    from aiohttp import web

    seen: list[tuple[str | None, str]] = []
    refuse = {"second": 2}  # the second update is answered 500 twice, then accepted

    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        text = update["message"]["text"]
        seen.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), text))
        if refuse.get(text):
            refuse[text] -= 1
            return web.Response(status=500)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3")
        fake.deliver_to_webhook(retry_pause=0.05)
        for text in ("first", "second", "third"):
            await alice.send(text)
        await fake.wait_until(lambda: fake.updates.drained, timeout=5, what="all delivered")
    finally:
        await runner.cleanup()
    assert seen == [("s3", "first"), ("s3", "second"), ("s3", "second"), ("s3", "second"),
                    ("s3", "third")]  # one chat: in order, the third waits for the second
    assert fake.pusher is not None and fake.pusher.answers == {200: 3, 500: 2}
