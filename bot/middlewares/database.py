"""One unit of work per update, handed to handlers as `uow`; it carries the update's dedupe
claim (bot.middlewares.dedupe) into the handler's first committed change."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.uow import AfterCommit, UnitOfWork


class UnitOfWorkMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker,
                 after_commit: AfterCommit | None = None) -> None:
        self.session_factory = session_factory
        self.after_commit = after_commit

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        claim = data.get("update_claim")
        async with UnitOfWork(self.session_factory, self.after_commit, claim) as uow:
            data["uow"] = uow
            return await handler(event, data)
