"""Submissions per minute to the web forms, per visitor address and per form; refused, not
queued (the page says wait a minute). In this process's memory: with several replicas each
keeps its own, so the bound is N times the setting until a shared limiter (the `Limiter`
protocol, e.g. on Redis) takes this one's place."""

import math
from collections import OrderedDict
from typing import Protocol

from aiolimiter import AsyncLimiter


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
