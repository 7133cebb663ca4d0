"""`FakeUser`: a test acting as a Telegram user talking to the bot.

Every action stores the user's message (if any) in the chat, queues the matching update
for getUpdates and returns at once; waiting for the bot is explicit (`wait_reply`,
`press`, awaiting a `PendingCallback`), so tests can also fire many actions concurrently.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from .formatting import user_entities
from .state import CallbackAnswer, CallbackQueryRecord, FakeChat, FakeMessage, media_object

if TYPE_CHECKING:
    from .telegram import FakeTelegram

# How long a test waits for what the bot should show. Only a failing wait lasts this long; a
# busy machine (the suite beside other work on two cores) takes seconds for what takes ms.
DEFAULT_TIMEOUT = 15.0


class PendingCallback:
    """A button press queued for the bot; `await` it for the bot's `CallbackAnswer`.

    Nothing runs until it is awaited, so an un-awaited press leaves no dangling task.
    """

    def __init__(self, fake: FakeTelegram, record: CallbackQueryRecord, timeout: float) -> None:
        self._fake = fake
        self.record = record
        self.timeout = timeout

    @property
    def query_id(self) -> str:
        return self.record.id

    @property
    def answer(self) -> CallbackAnswer | None:
        """The answer if the bot already gave one."""
        return self.record.answer

    async def wait(self) -> CallbackAnswer:
        """The bot's answer; WaitTimeout if answerCallbackQuery is not called in time."""
        return await self._fake.wait_until(
            lambda: self.record.answer,
            self.timeout,
            what=f"answerCallbackQuery for query {self.record.id} (data={self.record.data!r})",
        )

    def __await__(self) -> Generator[Any, None, CallbackAnswer]:
        return self.wait().__await__()


class FakeUser:
    """A Telegram user; create it with `FakeTelegram.user(...)`."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> None:
        self._fake = fake
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.last_name = last_name
        self.language_code = language_code
        self.last_acted_seq = fake.seq  # `wait_reply` looks for bot changes after this

    def __repr__(self) -> str:
        return f"<FakeUser {self.id} {self.first_name!r} @{self.username}>"

    def to_api(self) -> dict[str, Any]:
        """The Bot API User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                user[key] = value
        return user

    @property
    def chat(self) -> FakeChat:
        """The private chat of this user with the bot."""
        return self._fake.private_chat(self.id)

    # ------------------------------------------------------------------ messages

    async def send(
        self, text: str, *, chat: FakeChat | int | None = None, reply_to: FakeMessage | None = None
    ) -> FakeMessage:
        """Send a text message (a /command gets its bot_command entity)."""
        return self._post(chat, text=text, entities=user_entities(text), reply_to=reply_to)

    async def forward(
        self,
        text: str,
        from_user: dict[str, Any] | FakeUser | None = None,
        *,
        sender_name: str | None = None,
        date: int | None = None,
        chat: FakeChat | int | None = None,
    ) -> FakeMessage:
        """Forward someone's text to the bot.

        With `from_user` the origin is that user; with only `sender_name` it is a user
        who hides their account in forwards (forward_origin type hidden_user).
        """
        origin_date = self._fake.now() if date is None else date
        if from_user is not None:
            sender = from_user.to_api() if isinstance(from_user, FakeUser) else from_user
            origin = {
                "type": "user",
                "sender_user": {"is_bot": False, **sender},
                "date": origin_date,
            }
        elif sender_name is not None:
            origin = {"type": "hidden_user", "sender_user_name": sender_name, "date": origin_date}
        else:
            raise ValueError("forward() needs from_user or sender_name")
        return self._post(chat, text=text, forward_origin=origin)

    async def send_document(
        self,
        data: bytes,
        file_name: str = "document.bin",
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        chat: FakeChat | int | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """Send a file; the bot can download it with getFile."""
        return self._post_media(chat, "document", data, caption, file_name, mime_type,
                                reply_to=reply_to)

    async def send_photo(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        chat: FakeChat | int | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        return self._post_media(chat, "photo", data, caption, None, "image/jpeg",
                                reply_to=reply_to)

    async def send_voice(
        self,
        data: bytes,
        *,
        duration: int = 1,
        caption: str | None = None,
        chat: FakeChat | int | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        return self._post_media(chat, "voice", data, caption, None, "audio/ogg", duration,
                                reply_to=reply_to)

    async def edit(self, message: FakeMessage, text: str) -> FakeMessage:
        """Edit one of this user's messages (an edited_message update)."""
        if message.from_bot or message.sender.get("id") != self.id:
            raise AssertionError(f"{self} can only edit own messages, not {message}")
        self._fake.edit_message(
            message, text=text, html=text, entities=user_entities(text)
        )
        self._fake.inject_update({"edited_message": message.to_api()})
        self.last_acted_seq = self._fake.seq
        return message

    # ------------------------------------------------------------------ buttons

    async def press(
        self, message: FakeMessage, button_text: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> CallbackAnswer:
        """Press an inline button (exact text, else unique substring) and wait for the
        bot's answerCallbackQuery."""
        return await self.press_nowait(message, button_text, timeout=timeout)

    async def press_data(
        self, message: FakeMessage, data: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> CallbackAnswer:
        """Like `press`, with arbitrary callback_data (forged or stale buttons)."""
        return await self.press_data_nowait(message, data, timeout=timeout)

    def press_nowait(
        self, message: FakeMessage, button_text: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> PendingCallback:
        """Queue the press now; await the result later (concurrency tests)."""
        return self.press_data_nowait(message, message.button_data(button_text), timeout=timeout)

    def press_data_nowait(
        self, message: FakeMessage, data: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> PendingCallback:
        if message.deleted:
            raise AssertionError(f"cannot press a button on a deleted message: {message}")
        if not message.from_bot:
            raise AssertionError(f"only bot messages have inline buttons: {message}")
        record = self._fake.register_callback_query(self, message, data)
        self.last_acted_seq = self._fake.seq
        return PendingCallback(self._fake, record, timeout)

    # ------------------------------------------------------------------ waiting

    async def wait_reply(
        self,
        contains: str | None = None,
        after: int | None = None,
        chat: FakeChat | int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        predicate: Callable[[FakeMessage], bool] | None = None,
    ) -> FakeMessage:
        """The first bot message (new or edited) in the chat since this user last acted
        (or since seq `after`) whose text contains `contains` and matches `predicate`."""

        def matches(message: FakeMessage) -> bool:
            if contains is not None and contains not in (message.text or ""):
                return False
            return predicate is None or predicate(message)

        target = self._chat(chat)
        return await self._fake.wait_for(
            target,
            matches,
            after=self.last_acted_seq if after is None else after,
            timeout=timeout,
            what=f"containing {contains!r}" if contains is not None else None,
        )

    async def ask(
        self,
        text: str,
        contains: str | None = None,
        *,
        chat: FakeChat | int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        predicate: Callable[[FakeMessage], bool] | None = None,
    ) -> FakeMessage:
        """Send `text` and wait for the bot's reply to it."""
        await self.send(text, chat=chat)
        return await self.wait_reply(contains, chat=chat, timeout=timeout, predicate=predicate)

    # ------------------------------------------------------------------ internals

    def _chat(self, chat: FakeChat | int | None) -> FakeChat:
        return self.chat if chat is None else self._fake.chat(chat)

    def _post(self, chat: FakeChat | int | None, **fields: Any) -> FakeMessage:
        message = self._fake.add_message(
            self._chat(chat), sender=self.to_api(), from_bot=False, **fields
        )
        self._fake.inject_update({"message": message.to_api()})
        self.last_acted_seq = self._fake.seq
        return message

    def _post_media(
        self,
        chat: FakeChat | int | None,
        kind: str,
        data: bytes,
        caption: str | None,
        file_name: str | None,
        mime_type: str | None,
        duration: int = 1,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        stored = self._fake.store_file(data, kind, file_name, mime_type)
        return self._post(
            chat,
            text=caption,
            kind=kind,
            media=media_object(kind, stored, duration),
            file_bytes=data,
            reply_to=reply_to,
        )
