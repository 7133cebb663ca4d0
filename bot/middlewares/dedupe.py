"""Drop an update whose id was handled before (Telegram redelivers after timeouts/restarts).

The id is claimed before handling: at most once. A crash mid-handler loses that one update,
which Telegram's own polling semantics already allow; a double effect would be worse.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import Clock
from storage.repositories.updates import claim_update

log = logging.getLogger(__name__)


class DedupeMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker, clock: Clock) -> None:
        self.session_factory = session_factory
        self.clock = clock

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        if not await claim_update(self.session_factory, event.update_id, self.clock.now()):
            log.info("duplicate update dropped", extra={"update_id": event.update_id})
            return None
        return await handler(event, data)
