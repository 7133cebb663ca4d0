"""Drop an update whose id was handled before (Telegram redelivers after timeouts/restarts),
and retry one whose handler met a transient database error before it changed anything.

The update id is recorded in the handler's first committed change (storage.uow), not before
the handler: a handler that failed before committing (SQLite's "database is locked" under a
long import) has no effect and no claim, so it is tried again here a few times, and a later
delivery of the same update is still handled. Once a change is committed, a repeat is
dropped. With polling Telegram does not redeliver an update whose handler raised, hence the
retries in place; a second delivery while the first is still in hand is dropped at once.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import Clock
from storage.repositories.updates import AlreadyHandled, UpdateClaim, claim_update, handled

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

#: Seconds to wait before each retry of a handler that met a transient database error.
RETRY_PAUSES = (0.5, 2.0)


class DedupeMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker, clock: Clock,
                 retry_pauses: Sequence[float] = RETRY_PAUSES) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.retry_pauses = tuple(retry_pauses)
        self._in_hand: set[int] = set()

    async def __call__(self, handler: Handler, event: TelegramObject,
                       data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        if event.update_id in self._in_hand:
            log.info("duplicate update dropped", extra={"update_id": event.update_id})
            return None
        self._in_hand.add(event.update_id)
        try:
            claim = data["update_claim"] = UpdateClaim(event.update_id, self.clock.now())
            result = await self._with_retries(handler, event, data, claim)
            if not claim.held:
                await self._record(claim)
            return result
        finally:
            self._in_hand.discard(event.update_id)

    async def _with_retries(self, handler: Handler, event: Update, data: dict[str, Any],
                            claim: UpdateClaim) -> Any:
        """A transient error before anything was committed: nothing happened, try again."""
        for pause in self.retry_pauses:
            try:
                return await self._once(handler, event, data, claim)
            except (OperationalError, PoolTimeout) as exc:  # locked, or no free connection
                if claim.held:
                    raise
                log.warning("update retried after a database error",
                            extra={"update_id": event.update_id,
                                   "error": str(getattr(exc, "orig", exc))})
                await asyncio.sleep(pause)
        return await self._once(handler, event, data, claim)

    async def _once(self, handler: Handler, event: Update, data: dict[str, Any],
                    claim: UpdateClaim) -> Any:
        try:
            if await handled(self.session_factory, event.update_id):
                raise AlreadyHandled(event.update_id)
            return await handler(event, data)
        except AlreadyHandled:
            log.info("duplicate update dropped", extra={"update_id": event.update_id})
            claim.held = True
            return None

    async def _record(self, claim: UpdateClaim) -> None:
        """A handler that changed nothing is recorded at its end; failing to record it only
        means a redelivery would be answered again, so the handler's success stands."""
        try:
            await claim_update(self.session_factory, claim)
        except (OperationalError, PoolTimeout):
            log.warning("handled update not recorded", extra={"update_id": claim.update_id})
