"""An in-process Bot API for the simulator: every send succeeds and gets the next message
id of its chat. No HTTP: a month of messages costs no network round trips."""

from collections import Counter
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.types import Chat, Message, User

from domain.clock import Clock

SENDS = frozenset({"SendMessage", "SendPhoto", "SendVoice", "SendDocument"})


class InProcessSession(BaseSession):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.last_id: Counter[int] = Counter()  # per chat, as Telegram numbers them
        self.calls: Counter[str] = Counter()

    async def make_request(self, bot: Bot, method: TelegramMethod[Any],
                           timeout: int | None = None) -> Any:
        name = type(method).__name__
        self.calls[name] += 1
        if name == "GetMe":
            return User(id=1, is_bot=True, first_name="Simulated", username="sim_bot")
        if name not in SENDS:
            return True
        chat_id = int(method.chat_id)  # type: ignore[attr-defined]
        self.last_id[chat_id] += 1
        chat = Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup")
        return Message(message_id=self.last_id[chat_id], date=self.clock.now(), chat=chat,
                       text=getattr(method, "text", None))

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None,
                             timeout: int = 30, chunk_size: int = 65536,
                             raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError("the simulator downloads nothing")
        yield b""  # pragma: no cover

    async def close(self) -> None:
        return None


def fake_bot(clock: Clock) -> Bot:
    return Bot("1:SIMULATED", session=InProcessSession(clock),
               default=DefaultBotProperties(parse_mode=ParseMode.HTML))
