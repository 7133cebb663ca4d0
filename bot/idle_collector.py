"""Python's full collections between updates instead of inside one.

With start-up frozen (bot.app.freeze_startup_objects), a full collection still walks what
came after: kept track records, the dialogs' storage, statement caches, some 45,000
objects, a pause of 15 to 30 ms on this project's machine. Python starts one when enough
objects have outlived two younger collections, that is in the middle of whatever made
them: a person's press (two of them were the accept press's p99 in benchmarks.presses).
While the collector runs, Python starts no full collection itself. This one runs it when
the last update in hand has been answered, once there have been as many younger
collections as Python waits for; when no update comes for `quiet` seconds (the outbox
and the jobs make garbage too); and after `most` seconds under a load that never leaves
a moment, so the cyclic garbage that reached the oldest generation is freed as before.
Younger collections (a millisecond or two) stay automatic.
"""

import asyncio
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: A threshold no count of younger collections reaches: Python's own full collection is off.
NEVER = 2**31 - 1
#: Python's own: younger collections between two full ones (as the process started).
CADENCE = gc.get_threshold()[2]
#: Collectors running in this process (tests run several bots in one): the last one to stop
#: gives Python its full collections back.
_running = 0


class IdleCollector:
    def __init__(self, quiet: float = 1.0, most: float = 10.0, check: float = 0.25,
                 clock: Callable[[], float] = time.monotonic,
                 counts: Callable[[], tuple[int, int, int]] = gc.get_count) -> None:
        self.quiet, self.most, self.check = quiet, most, check
        self.clock, self.counts = clock, counts
        self.in_hand = 0
        self.last_busy = self.last_full = clock()

    @contextmanager
    def busy(self) -> Iterator[None]:
        """Around an update's handling, whose answer is sent within it: when the last one in
        hand ends, the person has had their answer, and the next update is yet to come."""
        self.in_hand += 1
        try:
            yield
        finally:
            self.in_hand -= 1
            self.last_busy = self.clock()
            if not self.in_hand and self._grown():
                asyncio.get_running_loop().call_soon(self._between_updates)

    def due(self) -> bool:
        """For the periodic check: nothing in hand for a while, or too long without."""
        if not self._grown():
            return False
        now = self.clock()
        idle = self.in_hand == 0 and now - self.last_busy >= self.quiet
        return idle or now - self.last_full >= self.most

    def _grown(self) -> bool:
        return self.counts()[2] >= CADENCE

    def _between_updates(self) -> None:
        if not self.in_hand:  # none came in since the last one was answered
            self._collect()

    def _collect(self) -> None:
        gc.collect()
        self.last_full = self.clock()

    async def run(self) -> None:
        """Until cancelled; Python's own thresholds are back afterwards."""
        global _running
        _running += 1
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        try:
            while True:
                await asyncio.sleep(self.check)
                if self.due():
                    self._collect()
        finally:
            _running -= 1
            if not _running:
                gc.set_threshold(young, middle, CADENCE)
