"""Messages through the outbox: what a use case queues, and what the sender reads back.

Plain values shared by use cases, views and the sender; the table behind them is storage's."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    chat_id: int
    member_id: int | None
    text: str
    reply_markup: str | None
    edit_message_id: int | None
    purpose: str
    ref_id: int | None
    attempts: int
    kind: str = "text"  # or photo, voice, document (domain.conversations.Kind)
    file_id: str | None = None  # media travel by Telegram file_id
    claimed_by: str | None = None  # the replica whose lease it is under (while 'sending')


@dataclass(frozen=True)
class Enqueue:
    chat_id: int
    text: str
    member_id: int | None = None
    reply_markup: str | None = None
    edit_message_id: int | None = None
    purpose: str = "notice"
    ref_id: int | None = None
    dedupe_key: str | None = None
    not_before: datetime | None = None
    kind: str = "text"
    file_id: str | None = None
