"""Requests per minute per API key (aiolimiter's leaky bucket), refused rather than queued:
a client told 429 with Retry-After can slow down; a queued request would hold its socket."""

import math

from aiolimiter import AsyncLimiter


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
