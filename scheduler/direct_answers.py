"""The direct answer to the person who acted goes out at once, but it is still a message
Telegram counts: each one takes a turn in the overall flood line, ahead of everything the
outbox waits to send, so the bot as a whole (every replica, with REDIS_URL) stays within
the overall limit. A person waits at most one turn (1/28 s). With REDIS_URL it first takes
its chat's turn too (limits.answer_turn: at most ANSWER_WAIT): a queued message to the same
chat may have gone out from another replica a moment ago, and Telegram allows one a second.
The chat's turn comes first (it may wait up to a spacing), so the overall turn is taken right
before the send; a send that still reaches Telegram late keeps its chat's spacing, because
the next one to the chat is spaced from when this one came back (limits.sent).

A button's answer (answerCallbackQuery) that Telegram refuses because the query was answered
already or is too old does not stop the handler: a press is delivered again when the replica
handling it died after answering it, and the rest of the answer (the card, the edit) is what
the person still waits for."""

import logging
import math
from contextvars import ContextVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from scheduler.limits import Limits

log = logging.getLogger(__name__)

#: Set while the outbox sender makes its call: it took its turn already.
IN_OUTBOX: ContextVar[bool] = ContextVar("in_outbox", default=False)

#: The Bot API methods that send a new message (edits and button answers are not counted).
COUNTED = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendAudio",
                     "sendVideo", "sendAnimation", "sendSticker", "sendMediaGroup",
                     "sendLocation", "sendContact", "sendPoll", "copyMessage", "forwardMessage",
                     "copyMessages", "forwardMessages"})


class DirectAnswers(BaseRequestMiddleware):
    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        counted = not IN_OUTBOX.get() and method.__api_method__ in COUNTED
        chat_id = getattr(method, "chat_id", None) if counted else None
        if counted:
            if isinstance(chat_id, int):
                await self.limits.answer_turn(chat_id)
            await self.limits.overall.acquire(priority=-math.inf)
        try:
            response = await make_request(bot, method)
        except TelegramBadRequest as exc:
            if method.__api_method__ != "answerCallbackQuery" or "query" not in exc.message:
                raise
            log.info("button answer refused: answered before or too old",
                     extra={"error": exc.message})
            return True  # type: ignore[return-value]  # the method's result: answered
        if isinstance(chat_id, int):
            await self.limits.sent(chat_id)
        return response
