"""What the fake Telegram remembers: chats, messages, keyboards, files, callback answers.

Messages are mutable and stored once: an edit updates the same `FakeMessage` object, so a
reference held by a test always shows the current (post-edit) state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64


class ApiError(Exception):
    """A Bot API error answer; the server turns it into Telegram's error envelope."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a button press (answerCallbackQuery)."""

    text: str | None
    show_alert: bool = False
    url: str | None = None
    cache_time: int | None = None


@dataclass
class CallbackQueryRecord:
    """A callback query sent to the bot and, once answered, the bot's answer."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answer: CallbackAnswer | None = None


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    data: bytes
    content_type: str | None = None


@dataclass
class StoredFile:
    """A file known to the fake, downloadable via getFile + /file/bot<token>/<path>."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None


def inline_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    """Rows of inline buttons of a reply_markup (empty for other keyboard kinds)."""
    if not markup:
        return []
    return [list(row) for row in markup.get("inline_keyboard") or []]


def find_button(markup: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """The inline button whose text is `text`, or else the only one containing it."""
    buttons = [button for row in inline_rows(markup) for button in row]
    exact = [b for b in buttons if b.get("text") == text]
    if exact:
        return exact[0]
    partial = [b for b in buttons if text in str(b.get("text", ""))]
    if len(partial) == 1:
        return partial[0]
    available = [b.get("text") for b in buttons]
    if partial:
        raise AssertionError(f"button text {text!r} is ambiguous among {available}")
    raise AssertionError(f"no inline button {text!r}; available buttons: {available}")


def media_object(kind: str, stored: StoredFile, duration: int = 1) -> Any:
    """The Bot API Document / PhotoSize list / Voice describing a stored file."""
    base = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if kind == "photo":
        return [{**base, "width": 800, "height": 600}]
    if kind == "voice":
        return {**base, "duration": duration, "mime_type": stored.mime_type or "audio/ogg"}
    document = {**base, "file_name": stored.file_name or "document"}
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


@dataclass(eq=False, repr=False)
class FakeMessage:
    """A message in a chat, from a user or from the bot, in its current state."""

    message_id: int
    chat: FakeChat
    sender: dict[str, Any]  # Bot API User of the author
    from_bot: bool
    date: int
    text: str | None = None  # visible text (caption for media), as users see it
    html: str | None = None  # the text exactly as sent (HTML source with parse_mode=HTML)
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    kind: str = "text"  # text | document | photo | voice
    media: Any = None  # Bot API Document / list[PhotoSize] / Voice
    file_bytes: bytes | None = None
    forward_origin: dict[str, Any] | None = None
    reply_to: FakeMessage | None = None
    edited: int = 0  # number of edits
    edit_date: int | None = None
    deleted: bool = False
    seq: int = 0  # FakeTelegram.seq at this message's last change
    # as first sent, before any edit (what a duplicate send would repeat)
    sent_text: str | None = None
    sent_markup: dict[str, Any] | None = None

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def caption(self) -> str | None:
        return self.text if self.kind != "text" else None

    @property
    def document(self) -> dict[str, Any] | None:
        return self.media if self.kind == "document" else None

    @property
    def document_bytes(self) -> bytes | None:
        return self.file_bytes if self.kind == "document" else None

    @property
    def photo(self) -> bytes | None:
        """The photo's bytes (truthy when the message is a photo)."""
        return self.file_bytes if self.kind == "photo" else None

    @property
    def voice(self) -> dict[str, Any] | None:
        return self.media if self.kind == "voice" else None

    @property
    def voice_bytes(self) -> bytes | None:
        return self.file_bytes if self.kind == "voice" else None

    @property
    def buttons(self) -> list[list[str]]:
        """Texts of the inline keyboard, row by row."""
        return [[str(b.get("text")) for b in row] for row in inline_rows(self.reply_markup)]

    def button(self, text: str) -> dict[str, Any]:
        """The inline button dict matching `text` (exact, else unique substring)."""
        return find_button(self.reply_markup, text)

    def button_data(self, text: str) -> str:
        """callback_data of the button matching `text`; AssertionError if it has none."""
        button = self.button(text)
        if "callback_data" not in button:
            raise AssertionError(f"button {button.get('text')!r} has no callback_data: {button}")
        return str(button["callback_data"])

    def has_button(self, text: str) -> bool:
        """True if an inline button's text equals or contains `text`."""
        return any(text in label for row in self.buttons for label in row)

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        """The Bot API Message object."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
            "from": self.sender,
        }
        if self.forward_origin is not None:
            message["forward_origin"] = self.forward_origin
            message.update(_legacy_forward_fields(self.forward_origin))
        if self.reply_to is not None and with_reply:
            message["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.kind == "text":
            message["text"] = self.text
            if self.entities:
                message["entities"] = self.entities
        else:
            message[self.kind] = self.media
            if self.text:
                message["caption"] = self.text
                if self.entities:
                    message["caption_entities"] = self.entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        return message

    def describe(self) -> str:
        """One line for assertion messages."""
        author = "bot" if self.from_bot else f"user {self.sender.get('id')}"
        flags = "".join(
            [
                f" edited x{self.edited}" if self.edited else "",
                " DELETED" if self.deleted else "",
                f" buttons={self.buttons}" if self.buttons else "",
                f" [{self.kind}]" if self.kind != "text" else "",
            ]
        )
        return f"#{self.message_id} seq={self.seq} {author}: {self.text!r}{flags}"

    def __repr__(self) -> str:
        return f"<FakeMessage chat={self.chat.id} {self.describe()}>"


def _legacy_forward_fields(origin: dict[str, Any]) -> dict[str, Any]:
    """forward_from / forward_sender_name / forward_date for older clients."""
    fields: dict[str, Any] = {"forward_date": origin["date"]}
    if origin["type"] == "user":
        fields["forward_from"] = origin["sender_user"]
    elif origin["type"] == "hidden_user":
        fields["forward_sender_name"] = origin["sender_user_name"]
    return fields


@dataclass(eq=False)
class FakeChat:
    """A chat (private with one user, or a group) and all its messages in order."""

    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    messages: list[FakeMessage] = field(default_factory=list, repr=False)
    pinned_message_id: int | None = None
    _last_message_id: int = field(default=0, repr=False)

    def to_api(self) -> dict[str, Any]:
        """The Bot API Chat object."""
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                chat[key] = value
        return chat

    def allocate_message_id(self) -> int:
        self._last_message_id += 1
        return self._last_message_id

    def get(self, message_id: int) -> FakeMessage | None:
        """The message with this id, including deleted ones."""
        for message in self.messages:
            if message.message_id == message_id:
                return message
        return None

    @property
    def bot_messages(self) -> list[FakeMessage]:
        """The bot's messages still visible (not deleted), oldest first."""
        return [m for m in self.messages if m.from_bot and not m.deleted]

    @property
    def user_messages(self) -> list[FakeMessage]:
        return [m for m in self.messages if not m.from_bot and not m.deleted]

    @property
    def last_bot_message(self) -> FakeMessage | None:
        bot_messages = self.bot_messages
        return bot_messages[-1] if bot_messages else None

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Texts of the reply keyboard currently shown (None if none or removed)."""
        for message in reversed(self.bot_messages):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                return [[_button_text(b) for b in row] for row in markup["keyboard"]]
            if markup.get("remove_keyboard"):
                return None
        return None

    def dump(self, limit: int = 10, *, bot_only: bool = True) -> str:
        """The last messages, one per line, for assertion messages."""
        messages = [m for m in self.messages if m.from_bot or not bot_only][-limit:]
        if not messages:
            return "  (no messages)"
        return "\n".join(f"  {m.describe()}" for m in messages)


def _button_text(button: Any) -> str:
    return str(button.get("text")) if isinstance(button, dict) else str(button)
