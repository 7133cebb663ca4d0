"""Telegram's flood limits: an overall line (Pacer) and aiolimiter buckets per private chat
and per group; with REDIS_URL the same budgets held for every replica together
(SharedFloodLimits), so N replicas never send more than one process may.

A bucket as big as the limit would allow twice the limit in a second (a full bucket plus
what leaks). So a chat's bucket holds one token (sends evenly spaced), and the overall line
allows a burst of two: the spare one absorbs the event loop's wake-up lag (with one, 28/s
yields ~27.3/s), and any rate + 3 consecutive sends span at least (rate + 1) / rate seconds:
at 28/s, 31 sends take at least 1.036 s, so no one-second window sees more than 30.
"""

import asyncio
import heapq
import itertools
import logging
import math
from collections import OrderedDict
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

from aiolimiter import AsyncLimiter

if TYPE_CHECKING:
    from storage.shared import Budgets

log = logging.getLogger(__name__)

#: The longest a direct answer waits for its chat's turn in shared mode (seconds): one
#: private chat's spacing and some; a person should never wait for the outbox's traffic.
ANSWER_WAIT = 2.0


class Line(Protocol):
    async def acquire(self, priority: float = 0) -> None:
        """Wait for a turn in the overall line: the lowest `priority` value first."""
        ...


class Limits(Protocol):
    """What the sender (and the direct answers) wait for: FloodLimits in one process,
    SharedFloodLimits across replicas. `chat_ready` returns the chat's turn, taken on
    entering it."""

    overall: Line

    async def chat_ready(self, chat_id: int) -> AbstractAsyncContextManager[object]: ...

    async def hold(self, chat_id: int, seconds: float) -> None: ...

    async def answer_turn(self, chat_id: int) -> None:
        """Before a direct answer to the chat (a person waits for it: briefly, if at all)."""
        ...

    async def sent(self, chat_id: int) -> None:
        """A message to the chat came back from Telegram."""
        ...


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

    async def answer_turn(self, chat_id: int) -> None:
        """One process keeps main's rule: a direct answer goes at once and does not delay the
        chat's queue (Telegram tolerates a short burst in one chat)."""

    async def sent(self, chat_id: int) -> None:
        """One process spaces a chat's sends by their turns alone."""

    def for_chat(self, chat_id: int) -> AsyncLimiter:
        """Private chats have positive ids, groups negative ones."""
        limiter = self._chats.pop(chat_id, None) or AsyncLimiter(
            1, self.private_interval if chat_id > 0 else self.group_interval
        )
        self._chats[chat_id] = limiter
        if len(self._chats) > self._remembered:
            self._chats.popitem(last=False)
        return limiter


class _Waiters:
    """A local line in priority order (then arrival), served by whoever grants turns."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def join(self, priority: float) -> asyncio.Future[None]:
        fut = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (priority, next(self._seq), fut))
        return fut

    def waiting(self) -> bool:
        while self._heap and self._heap[0][2].done():  # cancelled while waiting
            heapq.heappop(self._heap)
        return bool(self._heap)

    def serve_first(self) -> None:
        if self.waiting():
            heapq.heappop(self._heap)[2].set_result(None)


class SharedPacer:
    """The overall line of every replica together: each replica keeps its own waiters in
    Pacer's order, and its first waiter takes its turn from one GCRA budget in Redis with
    Pacer's rate and burst, so the deployment as a whole sends at `rate`/s."""

    def __init__(self, budgets: "Budgets", rate: float, burst: int = 2) -> None:
        self.budgets = budgets
        self.interval = 1 / rate
        self.burst = burst
        self._waiters = _Waiters()
        self._server: asyncio.Task[None] | None = None

    async def acquire(self, priority: float = 0) -> None:
        fut = self._waiters.join(priority)
        if self._server is None or self._server.done():
            self._server = asyncio.create_task(self._serve(), name="shared-pacer")
        await fut

    async def _serve(self) -> None:
        while self._waiters.waiting():
            try:
                wait = await self.budgets.take("overall", self.interval, self.burst)
            except Exception:  # Redis away: nobody sends rather than everybody too much
                log.exception("shared flood budget unavailable")
                wait = 1.0
            if wait > 0:
                await asyncio.sleep(wait)
            else:
                self._waiters.serve_first()


class _SharedChatTurn:
    """Taken after the overall turn. If a direct answer booked the chat's turn meanwhile,
    the sender waits for the next one and then takes a new overall turn (first in the line):
    the one it held was for a send that did not happen then."""

    def __init__(self, budgets: "Budgets", name: str, interval: float, overall: Line) -> None:
        self.budgets, self.name, self.interval, self.overall = budgets, name, interval, overall

    async def __aenter__(self) -> None:
        while (wait := await self.budgets.take(self.name, self.interval)) > 0:
            await asyncio.sleep(wait)
            await self.overall.acquire(priority=-math.inf)

    async def __aexit__(self, *_exc: object) -> None:
        return None


class SharedFloodLimits:
    """FloodLimits' rules for every replica together: the overall line, and each chat's
    spacing wherever its next message is sent from (a chat moves between replicas)."""

    def __init__(self, budgets: "Budgets", overall_per_second: float, private_interval: float,
                 group_interval: float) -> None:
        self.budgets = budgets
        self.overall = SharedPacer(budgets, overall_per_second, burst=2)
        self.private_interval = private_interval
        self.group_interval = group_interval

    async def chat_ready(self, chat_id: int) -> _SharedChatTurn:
        """Once the chat may send again, without taking its turn (see FloodLimits)."""
        name, interval = self._chat(chat_id)
        while (wait := await self.budgets.peek(name, interval)) > 0:
            await asyncio.sleep(wait)
        return _SharedChatTurn(self.budgets, name, interval, self.overall)

    async def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429: no replica sends to the chat until its retry_after."""
        await self.budgets.hold(self._chat(chat_id)[0], seconds)

    async def answer_turn(self, chat_id: int) -> None:
        """Book the chat's next turn and wait for it, at most ANSWER_WAIT: a queued message
        sent a moment ago, from whichever replica, keeps its spacing before the answer, and
        the next one keeps it after. Farther ahead (a 429's hold, a burst of answers) the
        person is not kept waiting: the answer goes then, as it did before it was booked."""
        name, interval = self._chat(chat_id)
        try:
            wait = min(await self.budgets.reserve(name, interval), ANSWER_WAIT)
            await asyncio.sleep(wait)
            # a queued message sent before our turn may have come back late: keep the spacing
            # from its answer too
            wait += (more := min(await self.budgets.since_sent(name), ANSWER_WAIT - wait))
            await asyncio.sleep(more)
        except Exception:  # Redis away: the person is answered all the same
            log.exception("chat budget unavailable for a direct answer")
            return
        if wait >= ANSWER_WAIT:
            log.info("direct answer sent before its chat's turn",
                     extra={"chat_id": chat_id, "wait": round(wait, 2)})

    async def sent(self, chat_id: int) -> None:
        """From any replica, the chat's next message starts a spacing after this one came
        back, so its own lag on the way to Telegram never brings the two closer."""
        name, interval = self._chat(chat_id)
        try:
            await self.budgets.sent(name, interval)
        except Exception:  # Redis away: the turns alone space the chat's sends
            log.exception("chat budget unavailable after a send")

    def _chat(self, chat_id: int) -> tuple[str, float]:
        """Private chats have positive ids, groups negative ones."""
        interval = self.private_interval if chat_id > 0 else self.group_interval
        return f"chat:{chat_id}", interval
