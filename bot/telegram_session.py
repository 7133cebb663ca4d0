"""The Bot API session, with each kind of answer's model kept for the life of the process.

aiogram checks every answer against `Response[<the method's result type>]`, a generic pydantic
model. Pydantic caches such a class only while something else refers to it (a weak-value
cache), and nothing does: after each full garbage collection the next answer of that kind
builds the class again, about 10 ms of schema building. In the presses benchmark that was a
quarter of all answers and an eighth of the bot's CPU time. Referring to each class here once
keeps pydantic's own cache warm.
"""

from typing import Any, ClassVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import Response, TelegramMethod


class TelegramSession(AiohttpSession):
    _responses: ClassVar[dict[Any, type]] = {}

    def check_response(self, bot: Bot, method: TelegramMethod[Any], status_code: int,
                       content: str) -> Response[Any]:
        returning = method.__returning__
        if returning not in self._responses:
            self._responses[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)
