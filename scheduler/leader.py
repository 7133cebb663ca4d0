"""One scheduler at a time: with several replicas (REDIS_URL) the timed jobs run only on the
replica that holds the leader lease in Redis. The leader renews it every third of a lease;
if it dies, the lease runs out and another replica takes it within a third of a lease more
(4/3 of LEADER_LEASE_SECONDS; at once after a clean stop, which gives the lease up), and runs
its first tick one interval later. A single process is always the leader.

The leader counts itself the leader only until two thirds of a lease after its last renewal
began, so a leader that stalls steps down before its lease can pass to another replica:
two replicas never run a job in the same tick (and the jobs' conditional updates would make
it harmless if they did)."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # redis is an optional extra: this module is used only with REDIS_URL
    from storage.shared import Lease

log = logging.getLogger(__name__)


class Leadership:
    def __init__(self, lease: "Lease", seconds: float) -> None:
        self.lease = lease
        self.seconds = seconds
        self.on_change: Callable[[bool], None] | None = None
        self._until = 0.0  # monotonic time our leadership surely ends
        self._was = False

    @property
    def owner(self) -> str:
        return self.lease.owner

    def leading(self) -> bool:
        return time.monotonic() < self._until

    async def run(self) -> None:
        """Take or renew the lease every third of it; a clean stop gives it up at once."""
        try:
            while True:
                await self.step()
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    # a stop's cancel that the Redis call swallowed: the bot's stop waits
                    # for this task, and the loop would otherwise never end (seen in CI)
                    raise asyncio.CancelledError
                await asyncio.sleep(self.seconds / 3)
        finally:
            if self.leading():
                with contextlib.suppress(Exception):
                    await self.lease.release()

    async def step(self) -> None:
        started = time.monotonic()
        try:
            ours = await self.lease.hold()
        except Exception:  # Redis away: ours only until what we held runs out
            log.exception("scheduler leader lease unavailable")
        else:
            self._until = started + self.seconds * 2 / 3 if ours else 0.0
        self._noticed(self.leading())

    def _noticed(self, leading: bool) -> None:
        if leading == self._was:
            return
        self._was = leading
        log.info("this replica now runs the scheduled jobs" if leading
                 else "this replica no longer runs the scheduled jobs",
                 extra={"replica": self.owner, "leader": leading})
        if self.on_change is not None:
            self.on_change(leading)
