"""Telegram's flood limits: an overall line (Pacer) and aiolimiter buckets per private chat
and per group.

A bucket as big as the limit would allow twice the limit in a second (a full bucket plus
what leaks). So a chat's bucket holds one token (sends evenly spaced), and the overall line
allows a burst of two: the spare one absorbs the event loop's wake-up lag (with one, 28/s
yields ~27.3/s), and any rate + 3 consecutive sends span at least (rate + 1) / rate seconds:
at 28/s, 31 sends take at least 1.036 s, so no one-second window sees more than 30.
"""

import asyncio
import heapq
import itertools
from collections import OrderedDict

from aiolimiter import AsyncLimiter


class Pacer:
    """The overall line: sends at `rate`/s with a burst of `burst` (the same bound as a
    leaky bucket of `burst` tokens), handed to the waiter with the lowest priority value
    first, then in arrival order. The sender passes minus the chat's queued messages: a
    chat with many messages, which needs its own spacing between each, starts early instead
    of going round the whole line for every message and finishing alone at the end."""

    def __init__(self, rate: float, burst: int = 2) -> None:
        self.interval = 1 / rate
        self.burst = burst
        self._tat = 0.0  # theoretical arrival time of the next send (GCRA)
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    async def acquire(self, priority: float = 0) -> None:
        fut = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._seq), fut))
        self._grant()
        await fut

    def _grant(self) -> None:
        loop = asyncio.get_running_loop()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._waiters:
            if self._waiters[0][2].done():  # cancelled while waiting
                heapq.heappop(self._waiters)
                continue
            now = loop.time()
            wait = self._tat - (self.burst - 1) * self.interval - now
            if wait > 0:
                self._timer = loop.call_later(wait, self._grant)
                return
            self._tat = max(self._tat, now) + self.interval
            heapq.heappop(self._waiters)[2].set_result(None)


class FloodLimits:
    def __init__(self, overall_per_second: float, private_interval: float,
                 group_interval: float, remembered_chats: int = 10_000) -> None:
        self.overall = Pacer(overall_per_second, burst=2)
        self.private_interval = private_interval
        self.group_interval = group_interval
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._remembered = remembered_chats

    async def chat_ready(self, chat_id: int) -> AsyncLimiter:
        """The chat's bucket once it may send again, without taking its token: a worker
        waiting for its chat's own spacing must not hold a place in the overall line. Each
        chat has one worker, so the token is still there when it takes it, at the send."""
        limiter = self.for_chat(chat_id)
        while not limiter.has_capacity():
            # aiolimiter has no public "time until capacity"; its level leaks at max/period
            missing = limiter._level + 1 - limiter.max_rate
            await asyncio.sleep(max(missing * limiter.time_period / limiter.max_rate, 0.001))
        return limiter

    async def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429 for this chat: in one process the sender holds the chat itself."""

    def for_chat(self, chat_id: int) -> AsyncLimiter:
        """Private chats have positive ids, groups negative ones."""
        limiter = self._chats.pop(chat_id, None) or AsyncLimiter(
            1, self.private_interval if chat_id > 0 else self.group_interval
        )
        self._chats[chat_id] = limiter
        if len(self._chats) > self._remembered:
            self._chats.popitem(last=False)
        return limiter
