"""`FakeTelegram`: the object tests hold - lifecycle, users and chats, waiting, failures.

It also owns the stored state and the few operations that change it (add/edit/delete a
message, store a file, record a callback answer), so that every change bumps `seq` and
wakes waiters in exactly one place.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Update

from .actors import DEFAULT_TIMEOUT as WAIT
from .actors import FakeUser
from .flood import FloodRules
from .methods import METHODS
from .server import BotApiServer
from .session import LocalAiohttpSession
from .state import (
    ApiError,
    CallbackAnswer,
    CallbackQueryRecord,
    FakeChat,
    FakeMessage,
    StoredFile,
    bad_request,
)
from .updates import Pulse, UpdateQueue
from .webhook import WebhookPusher

T = TypeVar("T")

DEFAULT_TOKEN = "123456:TEST-TOKEN"
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


# What Telegram answers with 400 when a method fails for a reason of its own (refuse()).
_BAD_REQUEST_BY_METHOD = {
    "sendphoto": "Bad Request: wrong file identifier/HTTP URL specified",
    "senddocument": "Bad Request: wrong file identifier/HTTP URL specified",
    "sendvoice": "Bad Request: wrong file identifier/HTTP URL specified",
    "editmessagetext": "Bad Request: message to edit not found",
    "editmessagecaption": "Bad Request: message to edit not found",
    "editmessagereplymarkup": "Bad Request: message to edit not found",
    "deletemessage": "Bad Request: message to delete not found",
    "deletemessages": "Bad Request: message to delete not found",
    "answercallbackquery": "Bad Request: query is too old and response timeout expired "
    "or query ID is invalid",
    "getchatmember": "Bad Request: user not found",
}


class MethodCounter(Counter[str]):
    """Calls per Bot API method, keyed by lower-cased name and looked up case-insensitively
    (`fake.call_counts["sendMessage"]`); a method never called counts 0."""

    def __getitem__(self, method: str) -> int:
        return super().__getitem__(method.lower())

    def __contains__(self, method: object) -> bool:
        return super().__contains__(method.lower() if isinstance(method, str) else method)


class WaitTimeout(AssertionError, TimeoutError):
    """A wait ran out of time; both a failed assertion and a TimeoutError."""


@dataclass
class FailureRule:
    """An injected error for the next `remaining` calls of `method` (None = until cleared)."""

    method: str
    error: ApiError
    remaining: int | None = 1
    chat_id: int | str | None = None
    hits: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method != method or self.remaining == 0:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


class FakeTelegram:
    """In-process fake of the Telegram Bot API for end-to-end tests of an aiogram bot.

    Start it, point a real `Bot` at `base_url` (see `create_bot`), act as users through
    `user(...)`, and read what the bot did from `chats` / `calls` or wait for it with
    `wait_for` / `FakeUser.wait_reply`.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "dispatch_test_bot",
        bot_name: str = "Dispatch Test Bot",
        *,
        host: str = "127.0.0.1",
        clock: Callable[[], float | datetime] = time.time,
        strict_html: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.host = host
        self.clock = clock
        self.strict_html = strict_html  # reject malformed HTML like Telegram does
        self.valid_tokens: set[str] = {token}
        self.base_url = ""

        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.blocked: set[int] = set()

        # what the bot did
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.call_counts = MethodCounter()  # every call received, refused ones included
        self.ok_counts = MethodCounter()  # calls answered ok (the only ones that change state)
        self.refused_counts = MethodCounter()  # calls answered by a `refuse`/`fail_next` rule
        self.unknown_calls: list[tuple[str, dict[str, Any]]] = []
        # Bot API methods the fake does not implement, as the bot spelled them; the test
        # fixtures fail the test if any (see `check`)
        self.unexpected: list[str] = []
        self.server_errors: list[str] = []  # exceptions inside the fake itself (fake bugs)
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] = {}
        self.settings: dict[str, dict[str, Any]] = {}  # store-only methods (setMyName, ...)
        self.allowed_updates: list[str] | None = None
        self.get_updates_count = 0

        self._pulse = Pulse()
        self.updates = UpdateQueue(self._pulse)
        self._seq = 0
        self._inflight = 0  # Bot API calls being served, getUpdates excluded
        self._activity = 0  # bumped at the start and end of every such call
        self._failures: list[FailureRule] = []
        self._member_status: dict[tuple[int, int], str] = {}
        self._callback_counter = 0
        self._file_counter = 0
        self._server = BotApiServer(self)
        self.flood: FloodRules | None = None  # Telegram's flood limits, when enforced
        self.pusher: WebhookPusher | None = None  # delivers updates to the webhook, if asked

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on a free port of `host`; sets `base_url`."""
        self.base_url = await self._server.start(self.host)

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self.updates.close()
        if self.pusher is not None:
            await self.pusher.stop()
        await self._server.stop()

    def enforce_flood_limits(self, clock: Callable[[], float] = time.monotonic) -> FloodRules:
        """From now on answer 429 (with retry_after) to a new message that breaks Telegram's
        flood limits: 30/s overall, 1/s per private chat, 20/min per group (see flood.py)."""
        self.flood = FloodRules(clock)
        return self.flood

    def deliver_to_webhook(self, **options: Any) -> WebhookPusher:
        """Like Telegram with a webhook set: POST each queued update to the URL the bot
        registered with setWebhook, with its secret token header, until answered 2xx."""
        self.pusher = WebhookPusher(self, self._pulse, **options)
        self.pusher.start()
        return self.pusher

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def create_bot(self, **bot_kwargs: Any) -> Bot:
        """A real aiogram `Bot` whose session talks to this fake."""
        session = LocalAiohttpSession(api=TelegramAPIServer.from_base(self.base_url))
        return Bot(self.token, session=session, **bot_kwargs)

    @asynccontextmanager
    async def run_polling(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        ready_timeout: float = WAIT,
        handlers_timeout: float = WAIT,
        close_bot_session: bool = True,
        **polling_kwargs: Any,
    ) -> AsyncIterator[asyncio.Task[None]]:
        """Run `dispatcher.start_polling(bot)` for the duration of the `async with` block.

        Enters once the bot's first getUpdates arrived (so the dispatcher is live). On
        exit it stops polling, lets update handlers still running finish (aiogram does
        not wait for them; cancelled after `handlers_timeout`), then closes the bot
        session - in that order, so no handler calls the API through a closed session.
        A crash of the polling task is re-raised.
        """
        polling_kwargs.setdefault("handle_signals", False)
        polls_before = self.get_updates_count
        task = asyncio.create_task(
            dispatcher.start_polling(bot, close_bot_session=False, **polling_kwargs)
        )
        task.add_done_callback(lambda _: self._pulse.notify())
        try:
            try:
                await self._pulse.wait_for(
                    lambda: task.done() or self.get_updates_count > polls_before, ready_timeout
                )
            except TimeoutError:
                raise WaitTimeout(
                    f"the bot did not call getUpdates within {ready_timeout}s"
                ) from None
            if task.done():
                task.result()  # polling ended before it started: surface why
            yield task
        finally:
            try:
                await _stop_polling(dispatcher, task)
                await _finish_handlers(dispatcher, handlers_timeout)
            finally:
                if close_bot_session:
                    await bot.session.close()

    # ------------------------------------------------------------------ users and chats

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> FakeUser:
        """The user with this id, created with its private chat on first call."""
        existing = self.users.get(user_id)
        if existing is not None:
            return existing
        user = FakeUser(
            self,
            user_id,
            first_name or f"User{user_id}",
            username=username,
            last_name=last_name,
            language_code=language_code,
        )
        self.users[user_id] = user
        self.chats.setdefault(
            user_id,
            FakeChat(
                id=user_id,
                type="private",
                username=username,
                first_name=user.first_name,
                last_name=last_name,
            ),
        )
        return user

    def group(
        self,
        chat_id: int,
        title: str = "Group",
        *,
        type: str = "supergroup",  # noqa: A002 - Telegram's field name
        username: str | None = None,
    ) -> FakeChat:
        """The group chat with this id, created on first call."""
        existing = self.chats.get(chat_id)
        if existing is not None:
            if existing.type == "private":
                raise ValueError(f"chat {chat_id} is the private chat of a user")
            return existing
        chat = FakeChat(id=chat_id, type=type, title=title, username=username)
        self.chats[chat_id] = chat
        return chat

    def private_chat(self, user_id: int) -> FakeChat:
        """The private chat of a known user with the bot (chat id == user id)."""
        if user_id not in self.users:
            raise KeyError(f"unknown user {user_id}; create it with fake.user(...)")
        return self.chats[user_id]

    def chat(self, chat_id: int | FakeChat) -> FakeChat:
        """A known chat; KeyError if no user or group with that id was created."""
        if isinstance(chat_id, FakeChat):
            return chat_id
        try:
            return self.chats[chat_id]
        except KeyError:
            raise KeyError(f"unknown chat {chat_id}; known: {sorted(self.chats)}") from None

    # ------------------------------------------------------------------ updates

    def inject_update(self, update: dict[str, Any], *, validate: bool = True) -> int:
        """Queue a raw update for getUpdates; keeps its update_id if it has one.

        The update is checked against aiogram's `Update` model first: one aiogram cannot
        parse would make polling fail and retry it forever instead of failing the test.
        """
        if validate:
            Update.model_validate({"update_id": 0, **update})
        return self.updates.push(update)

    def next_update_id(self) -> int:
        """Reserve an update_id (use it for several `inject_update` calls to duplicate)."""
        return self.updates.allocate_id()

    # ------------------------------------------------------------------ reading

    @property
    def seq(self) -> int:
        """Sequence number of the latest message change (send, edit or delete)."""
        return self._seq

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of `method` (case-insensitive), oldest first."""
        name = method.lower()
        return [params for called, params in self.calls if called == name]

    # ------------------------------------------------------------------ waiting

    async def wait_until(
        self, predicate: Callable[[], T], timeout: float = WAIT, what: str = "condition"
    ) -> T:
        """Wait until `predicate()` (re-checked on every change of the fake) is truthy."""
        try:
            return await self._pulse.wait_for(predicate, timeout)
        except TimeoutError:
            raise WaitTimeout(f"timed out after {timeout}s waiting for {what}") from None

    async def wait_for(
        self,
        chat_id: int | FakeChat,
        predicate: Callable[[FakeMessage], bool] | None = None,
        after: int | None = None,
        timeout: float = WAIT,
        *,
        include_deleted: bool = False,
        what: str | None = None,
    ) -> FakeMessage:
        """The first bot message in the chat changed after seq `after` matching `predicate`.

        Raises `WaitTimeout` (an AssertionError) with the chat's recent bot messages.
        """
        chat = self.chat(chat_id)
        after_seq = -1 if after is None else after

        def find() -> FakeMessage | None:
            for message in chat.messages:
                if (
                    message.from_bot
                    and message.seq > after_seq
                    and (include_deleted or not message.deleted)
                    and (predicate is None or predicate(message))
                ):
                    return message
            return None

        try:
            return await self._pulse.wait_for(find, timeout)
        except TimeoutError:
            description = what or ("matching the predicate" if predicate else "at all")
            raise WaitTimeout(
                f"no bot message in chat {chat.id} {description} after seq {after_seq} "
                f"within {timeout}s (current seq {self._seq}). Recent bot messages:\n"
                f"{chat.dump()}"
            ) from None

    async def wait_idle(self, quiet: float = 0.15, timeout: float = WAIT) -> None:
        """Wait until the bot fetched and confirmed every update, no Bot API call is in
        flight, and none started for `quiet` seconds.

        The quiet window is the only timed wait of the fake: it is how "the bot sent
        nothing else" can be asserted at all.
        """

        def settled() -> bool:
            return self.updates.drained and self._inflight == 0

        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self._pulse.wait_for(settled, None)
                    mark = self._activity
                    try:
                        await self._pulse.wait_for(
                            lambda: self._activity != mark or not settled(), quiet
                        )
                    except TimeoutError:
                        return
        except TimeoutError:
            raise WaitTimeout(
                f"bot not idle after {timeout}s: {len(self.updates.pending)} unconfirmed "
                f"updates, {self._inflight} calls in flight"
            ) from None

    # ------------------------------------------------------------------ failures and access

    def fail_next(
        self,
        method: str,
        error_code: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        times: int | None = 1,
        *,
        chat_id: int | str | None = None,
    ) -> FailureRule:
        """Answer the next `times` calls of `method` (None = all, until `clear_failures`)
        with an error, optionally only calls for `chat_id`. Like `refuse`, with the older
        parameter names and no check of the method name."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            template = _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
            description = template.format(retry_after=retry_after)
        rule = FailureRule(
            method=method.lower(),
            error=ApiError(error_code, description, retry_after),
            remaining=times,
            chat_id=chat_id,
        )
        self._failures.append(rule)
        return rule

    def refuse(
        self,
        method: str,
        times: int | None = 1,
        *,
        chat_id: int | str | None = None,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
    ) -> FailureRule:
        """Answer the next `times` calls of Bot API `method` (case-insensitive; None = every
        call, until `clear_failures`) with an error in Telegram's format, optionally only
        calls whose chat_id is `chat_id`. A refused call changes no state.

        The description defaults to what Telegram says for `status`: for 429
        "Too Many Requests: retry after N" with `parameters.retry_after` (only 429 carries
        it); for 403 "bot was blocked by the user" (or "kicked from the ... chat" when
        `chat_id` is a known group); for 400 a reason fitting the method (e.g. "message to
        edit not found" for edits). The returned rule counts its `hits`.
        """
        name = method.lower()
        if name not in METHODS:
            raise ValueError(f"the fake does not implement Bot API method {method!r}")
        if description is None:
            description = self._default_description(name, status, retry_after, chat_id)
        rule = FailureRule(
            method=name,
            error=ApiError(status, description, retry_after if status == 429 else None),
            remaining=times,
            chat_id=chat_id,
        )
        self._failures.append(rule)
        return rule

    def _default_description(
        self, method: str, status: int, retry_after: int, chat_id: int | str | None
    ) -> str:
        if status == 400:
            return _BAD_REQUEST_BY_METHOD.get(method, "Bad Request: chat not found")
        if status == 403 and isinstance(chat_id, int):
            chat = self.chats.get(chat_id)
            if chat is not None and chat.type != "private":
                kind = "channel" if chat.type == "channel" else f"{chat.type} chat"
                return f"Forbidden: bot was kicked from the {kind}"
        template = _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        return template.format(retry_after=retry_after)

    def clear_failures(self) -> None:
        self._failures.clear()

    def check(self) -> None:
        """Fail (AssertionError) if the bot called a Bot API method the fake does not
        implement, or the fake itself crashed on a call. The test fixtures call it at
        teardown, so such a test fails even if its own assertions passed."""
        problems = []
        if self.unexpected:
            counts = Counter(self.unexpected)
            names = ", ".join(f"{name} ({n} call{'s' * (n > 1)})" for name, n in counts.items())
            problems.append(
                f"the bot called Bot API methods the fake does not implement: {names} "
                "(answered 404). Implement them in tests/fake_telegram/methods.py, or fix "
                "the call if the bot got the method wrong."
            )
        if self.server_errors:
            problems.append(
                "the fake Telegram itself failed (a bug of the fake): "
                + "; ".join(self.server_errors)
            )
        assert not problems, "\n".join(problems)

    def take_failure(self, method: str, params: dict[str, Any]) -> ApiError | None:
        """The injected error for this call, if any (consumes one use of its rule)."""
        for rule in self._failures:
            if rule.matches(method, params):
                rule.hits += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule.error
        return None

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends to their private chat answer 403."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self.blocked.discard(user_id)

    def set_admin(self, chat_id: int, user_id: int, admin: bool = True) -> None:
        """getChatMember reports the user as administrator of the chat (or member)."""
        self.set_member_status(chat_id, user_id, "administrator" if admin else "member")

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """getChatMember status: creator, administrator, member, left or kicked."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {sorted(MEMBER_STATUSES)}")
        self._member_status[(chat_id, user_id)] = status

    def member_status(self, chat_id: int, user_id: int) -> str:
        return self._member_status.get((chat_id, user_id), "member")

    # ------------------------------------------------------------------ state changes
    # Used by the Bot API implementation (methods.py) and by FakeUser; tests read state.

    def now(self) -> int:
        """Unix time for message dates; `clock` may return a timestamp or a datetime."""
        current = self.clock()
        if isinstance(current, datetime):
            return int(current.timestamp())
        return int(current)

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot as a Bot API User (the `from` of its messages)."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def user_api(self, user_id: int) -> dict[str, Any]:
        """A known user (or the bot) as a Bot API User; 400 "user not found" otherwise."""
        if user_id == self.bot_id:
            return self.bot_user
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return user.to_api()

    def resolve_chat(self, chat_id: int | str | None) -> FakeChat:
        """The chat a Bot API call targets (by id or @username); 400 if unknown."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            username = chat_id.removeprefix("@").lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == username:
                    return chat
            raise bad_request("chat not found")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def writable_chat(self, chat_id: int | str | None) -> FakeChat:
        """Like `resolve_chat`, and 403 if the chat is a private chat that blocked the bot."""
        chat = self.resolve_chat(chat_id)
        if chat.type == "private" and chat.id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def add_message(
        self,
        chat: FakeChat,
        *,
        sender: dict[str, Any],
        from_bot: bool,
        text: str | None = None,
        html: str | None = None,
        **fields: Any,
    ) -> FakeMessage:
        """Append a new message to the chat."""
        message = FakeMessage(
            message_id=chat.allocate_message_id(),
            chat=chat,
            sender=sender,
            from_bot=from_bot,
            date=self.now(),
            text=text,
            html=text if html is None else html,
            sent_text=text,
            sent_markup=fields.get("reply_markup"),
            **fields,
        )
        chat.messages.append(message)
        self._changed(message)
        return message

    def edit_message(self, message: FakeMessage, **changes: Any) -> None:
        """Apply an edit (new text, markup, ...) to a stored message."""
        for name, value in changes.items():
            setattr(message, name, value)
        message.edited += 1
        message.edit_date = self.now()
        self._changed(message)

    def delete_message(self, message: FakeMessage) -> None:
        message.deleted = True
        self._changed(message)

    def store_file(
        self, data: bytes, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Register bytes as a Telegram file with a file_id and a download path."""
        self._file_counter += 1
        number = self._file_counter
        extension = (
            "." + file_name.rsplit(".", 1)[1]
            if file_name and "." in file_name
            else {"photo": ".jpg", "voice": ".oga"}.get(kind, "")
        )
        stored = StoredFile(
            file_id=f"fake-{kind}-{number}",
            file_unique_id=f"unique-{number}",
            file_path=f"{kind}s/file_{number}{extension}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def register_callback_query(
        self, user: FakeUser, message: FakeMessage, data: str
    ) -> CallbackQueryRecord:
        """Queue a callback_query update for a button press on `message`."""
        self._callback_counter += 1
        query_id = str(4_000_000_000 + self._callback_counter)
        record = CallbackQueryRecord(
            id=query_id,
            user_id=user.id,
            chat_id=message.chat.id,
            message_id=message.message_id,
            data=data,
        )
        self.callback_queries[query_id] = record
        self.inject_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": message.to_api(),
                    "chat_instance": str((message.chat.id * 2654435761 + self.bot_id) % 10**18),
                    "data": data,
                }
            }
        )
        return record

    def answer_callback_query(self, query_id: str, answer: CallbackAnswer) -> None:
        """Record the bot's answer; Telegram allows one answer per query."""
        record = self.callback_queries.get(query_id)
        if record is None or record.answer is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        record.answer = answer
        self._pulse.notify()

    def record_call(self, method: str, params: dict[str, Any]) -> None:
        self.calls.append((method, params))
        self.call_counts[method] += 1
        if method == "getupdates":
            self.get_updates_count += 1
            self._pulse.notify()

    def call_started(self) -> None:
        self._inflight += 1
        self._activity += 1
        self._pulse.notify()

    def call_finished(self) -> None:
        self._inflight -= 1
        self._activity += 1
        self._pulse.notify()

    def _changed(self, message: FakeMessage) -> None:
        self._seq += 1
        message.seq = self._seq
        self._pulse.notify()


async def _stop_polling(dispatcher: Dispatcher, task: asyncio.Task[None]) -> None:
    """Stop `dispatcher.start_polling` running in `task` and re-raise its failure."""
    if not task.done():
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # start_polling has not taken its lock yet
            task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        if not task.cancelled():  # we are being cancelled ourselves
            raise


async def _finish_handlers(dispatcher: Dispatcher, timeout: float) -> None:
    """Wait for update handler tasks still running after polling stopped.

    aiogram keeps them in the private `_handle_update_tasks` (aiogram is pinned; if the
    attribute ever disappears this degrades to not waiting).
    """
    running = [
        t for t in getattr(dispatcher, "_handle_update_tasks", ()) if not t.done()
    ]
    if not running:
        return
    _, late = await asyncio.wait(running, timeout=timeout)
    for handler_task in late:
        handler_task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
