"""Submissions per minute to the web forms, per visitor address and per form; refused, not
queued (the page says wait a minute). In this process's memory (MemoryLimiter), or with
REDIS_URL in one bucket per key that every replica shares (SharedLimiter)."""

import math
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from aiolimiter import AsyncLimiter

if TYPE_CHECKING:
    from storage.shared import Budgets


class Limiter(Protocol):
    async def take(self, key: str) -> int | None:
        """None if a request for `key` may go on, else the seconds to wait."""
        ...


class MemoryLimiter:
    """A leaky bucket per key, for at most `max_keys` keys (the least recently seen are
    forgotten first, which only gives a forgotten address a fresh minute): nothing grows
    per stranger."""

    def __init__(self, per_minute: int, max_keys: int = 10_000) -> None:
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, AsyncLimiter] = OrderedDict()

    async def take(self, key: str) -> int | None:
        bucket = self._buckets.pop(key, None) or AsyncLimiter(self.per_minute, 60)
        self._buckets[key] = bucket
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        if not bucket.has_capacity():
            return math.ceil(60 / self.per_minute)
        await bucket.acquire()  # immediate: there is capacity
        return None


class SharedLimiter:
    """A GCRA bucket in Redis per key (`per_minute` at once, then one every 60/per_minute s),
    so a visitor spreading submissions over replicas gets no more than from one."""

    def __init__(self, budgets: "Budgets", name: str, per_minute: int) -> None:
        self.budgets = budgets
        self.name = name
        self.per_minute = per_minute

    async def take(self, key: str) -> int | None:
        wait = await self.budgets.take(f"{self.name}:{key}", 60 / self.per_minute,
                                       self.per_minute)
        return max(math.ceil(wait), 1) if wait > 0 else None


class FormLimits:
    def __init__(self, per_address: Limiter, per_form: Limiter) -> None:
        self.per_address = per_address
        self.per_form = per_form

    async def take(self, address: str, slug: str) -> int | None:
        """Both must allow it; a refusal by the address does not use up the form's budget."""
        wait = await self.per_address.take(address)
        if wait is None:
            wait = await self.per_form.take(slug)
        return wait
