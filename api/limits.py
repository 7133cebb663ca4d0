"""Requests per minute per API key (a leaky bucket of `per_minute`), refused rather than
queued: a client told 429 with Retry-After can slow down; a queued request would hold its
socket. With REDIS_URL every replica takes from one bucket per key (SharedKeyLimits)."""

import math
from typing import TYPE_CHECKING, Protocol

from aiolimiter import AsyncLimiter

if TYPE_CHECKING:
    from storage.shared import Budgets


class Limits(Protocol):
    async def take(self, key_id: int) -> int | None:
        """None if the request may go on, else the seconds to wait before the next one."""
        ...


class KeyLimits:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._limiters: dict[int, AsyncLimiter] = {}

    async def take(self, key_id: int) -> int | None:
        """None if the request may go on, else the seconds to wait before the next one."""
        limiter = self._limiters.setdefault(key_id, AsyncLimiter(self.per_minute, 60))
        if not limiter.has_capacity():
            return math.ceil(60 / self.per_minute)
        await limiter.acquire()  # immediate: there is capacity
        return None


class SharedKeyLimits:
    """The same bucket in Redis (GCRA: `per_minute` at once, then one every 60/per_minute s),
    so a client spreading its requests over replicas gets no more than from one."""

    def __init__(self, budgets: "Budgets", per_minute: int) -> None:
        self.budgets = budgets
        self.per_minute = per_minute

    async def take(self, key_id: int) -> int | None:
        wait = await self.budgets.take(f"api:{key_id}", 60 / self.per_minute, self.per_minute)
        return max(math.ceil(wait), 1) if wait > 0 else None
