"""APScheduler wiring: the jobs run on an interval and read their work from the database."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.context import JobContext
from scheduler.digests import send_digests
from scheduler.jobs import (
    auto_close,
    auto_dispatch,
    conversation_statuses,
    expire_offers,
    find_missed_duplicates,
    forget_old_updates,
    lapse_pools,
    nag_followups,
    satisfaction_checks,
    undispatched_alarms,
)
from scheduler.weekly import send_weekly_report

if TYPE_CHECKING:
    from scheduler.leader import Leadership

log = logging.getLogger(__name__)

JOBS = (expire_offers, lapse_pools, find_missed_duplicates, auto_dispatch, nag_followups,
        auto_close, conversation_statuses, satisfaction_checks, undispatched_alarms, send_digests,
        send_weekly_report, forget_old_updates)


def start_scheduler(ctx: JobContext, leadership: "Leadership | None" = None) -> AsyncIOScheduler:
    """Fixed job ids, one instance each, missed runs coalesced: a slow run never piles up.
    With several replicas (`leadership`) the scheduler runs only while this replica leads,
    and each job checks again as it starts (scheduler.leader)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    interval = timedelta(seconds=ctx.settings.job_interval_seconds)
    for job in JOBS:
        func, args = (job, [ctx]) if leadership is None else (_if_leading, [job, ctx, leadership])
        scheduler.add_job(
            func, "interval", seconds=interval.total_seconds(), args=args,
            id=job.__name__, replace_existing=True, max_instances=1, coalesce=True,
        )
    scheduler.start(paused=leadership is not None)
    if leadership is not None:
        leadership.on_change = lambda leading: _follow(scheduler, leading, interval)
    return scheduler


def _follow(scheduler: AsyncIOScheduler, leading: bool, interval: timedelta) -> None:
    """A new leader starts its ticks one interval after taking over: the old leader ran its
    last tick before it stopped renewing, so no job runs twice within an interval."""
    if not scheduler.running:  # stopping
        return
    if not leading:
        scheduler.pause()
        return
    start = datetime.now(UTC) + interval
    for job in scheduler.get_jobs():
        job.modify(next_run_time=start)
    scheduler.resume()


async def _if_leading(job: Callable[[JobContext], Awaitable[None]], ctx: JobContext,
                      leadership: "Leadership") -> None:
    """A tick just after this replica stepped down (not yet paused) does nothing."""
    if not leadership.leading():
        return
    log.info("scheduled job", extra={"job": job.__name__, "replica": leadership.owner})
    await job(ctx)


async def run_all(ctx: JobContext) -> None:
    """Every job once, in order (tests drive the clock and call this)."""
    for job in JOBS:
        await job(ctx)


class OnDemand:
    """Run a job now, besides its interval (e.g. auto-dispatch right after a No). A call while
    it runs makes it run once more afterwards, so no event waits for the next interval.
    Overlapping with the scheduled run is safe: jobs change state by conditional updates."""

    def __init__(self, job: Callable[[JobContext], Awaitable[None]], ctx: JobContext) -> None:
        self._job, self._ctx = job, ctx
        self._again = False
        self._task: asyncio.Task[None] | None = None

    def __call__(self) -> None:
        self._again = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"{self._job.__name__}-now")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while self._again:
            self._again = False
            try:
                await self._job(self._ctx)
            except Exception:
                log.exception("on-demand job failed", extra={"job": self._job.__name__})
