"""Tell the idle collector (bot.idle_collector) while an update is being handled: it
collects only when none is."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.idle_collector import IdleCollector


class InHandMiddleware(BaseMiddleware):
    def __init__(self, collector: IdleCollector) -> None:
        self.collector = collector

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        with self.collector.busy():
            return await handler(event, data)
