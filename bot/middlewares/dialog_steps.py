"""A dialog moves on only once its update was handled: the changes a handler makes to the
dialog state are written after it returns, none if it failed (bot.dialog_storage.StepStorage).
Inside the dedupe middleware, so each retry of an update starts from the stored state."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.dialog_storage import StepStorage, one_step


class DialogStepMiddleware(BaseMiddleware):
    def __init__(self, storage: StepStorage) -> None:
        self.storage = storage

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        with one_step() as changes:
            result = await handler(event, data)
        await self.storage.write(changes)
        return result
