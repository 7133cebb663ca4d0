"""Change notification and the getUpdates queue.

Everything in the fake runs on one event loop, so waiting is done by re-checking a
predicate whenever something changed (`Pulse`) instead of sleeping and polling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class Pulse:
    """Wakes every waiter on each `notify()`.

    Unlike `asyncio.Condition` it can be notified from synchronous code (no lock to
    acquire), which the fake needs: `inject_update()` and the Bot API method
    implementations are plain functions.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters; later waiters wait for the next notify."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], T], timeout: float | None) -> T:
        """Return the first truthy `predicate()` result, re-checking after every notify.

        Raises `TimeoutError` if it stays falsy for `timeout` seconds.
        """
        async with asyncio.timeout(timeout):
            while True:
                result = predicate()
                if result:
                    return result
                await self._event.wait()


@dataclass
class _Pending:
    update: dict[str, Any]
    delivered: bool = False
    pushing: bool = False  # a webhook delivery is under way (webhook.py)
    not_before: float = 0.0  # monotonic time of the next webhook attempt after a failure

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])


class UpdateQueue:
    """Updates waiting to be fetched by getUpdates, with Telegram's offset semantics.

    An update is dropped once it has been delivered and a later getUpdates call sends an
    offset above its id. "Delivered" is tracked so that a raw update injected with an
    old (duplicate) update_id is still handed to the bot once - that is what duplicate
    delivery tests need - instead of being confirmed away by the bot's current offset.
    """

    def __init__(self, pulse: Pulse) -> None:
        self._pulse = pulse
        self._pending: list[_Pending] = []
        self._next_id = 1
        self.closed = False
        self.delivered_total = 0

    def allocate_id(self) -> int:
        """Reserve and return the next update_id."""
        update_id = self._next_id
        self._next_id += 1
        return update_id

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update; assigns the next update_id unless the update carries one."""
        if "update_id" not in update:
            update = {"update_id": self.allocate_id(), **update}
        update_id = int(update["update_id"])
        self._next_id = max(self._next_id, update_id + 1)
        self._pending.append(_Pending(update))
        self._pulse.notify()
        return update_id

    def confirm(self, offset: int | None) -> None:
        """Drop delivered updates below `offset` (getUpdates' confirmation)."""
        if not offset or offset < 0:  # negative offsets (read from the end) are not needed
            return
        kept = [p for p in self._pending if not (p.delivered and p.update_id < offset)]
        if len(kept) != len(self._pending):
            self._pending = kept
            self._pulse.notify()

    async def fetch(self, limit: int, timeout: float) -> list[dict[str, Any]]:
        """Long-poll: return up to `limit` updates, waiting up to `timeout` s for the first."""
        if timeout > 0:
            try:
                await self._pulse.wait_for(lambda: self.closed or self._pending, timeout)
            except TimeoutError:
                return []
        if self.closed:
            return []
        batch = self._pending[:limit]
        for pending in batch:
            if not pending.delivered:
                pending.delivered = True
                self.delivered_total += 1
        if batch:
            self._pulse.notify()
        return [p.update for p in batch]

    def queued(self) -> list[_Pending]:
        """The updates not yet confirmed, in order (the webhook pusher reads them)."""
        return list(self._pending)

    def remove(self, pending: _Pending) -> None:
        """Confirmed by a 2xx answer to its webhook delivery."""
        if pending in self._pending:
            self._pending.remove(pending)
            self.delivered_total += 1
            self._pulse.notify()

    def drop_all(self) -> None:
        """Forget every pending update (deleteWebhook with drop_pending_updates)."""
        self._pending.clear()
        self._pulse.notify()

    def close(self) -> None:
        """Make running and future long polls return immediately (server shutdown)."""
        self.closed = True
        self._pulse.notify()

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (delivered or not)."""
        return [p.update for p in self._pending]

    @property
    def drained(self) -> bool:
        """True when the bot has fetched and confirmed every update."""
        return not self._pending
