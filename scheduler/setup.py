"""APScheduler wiring: the jobs run on an interval and read their work from the database."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

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
    nag_followups,
    satisfaction_checks,
    undispatched_alarms,
)
from scheduler.weekly import send_weekly_report

log = logging.getLogger(__name__)

JOBS = (expire_offers, find_missed_duplicates, auto_dispatch, nag_followups, auto_close,
        conversation_statuses, satisfaction_checks, undispatched_alarms, send_digests, send_weekly_report, forget_old_updates)


def start_scheduler(ctx: JobContext) -> AsyncIOScheduler:
    """Fixed job ids, one instance each, missed runs coalesced: a slow run never piles up."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    for job in JOBS:
        scheduler.add_job(
            job, "interval", seconds=ctx.settings.job_interval_seconds, args=[ctx],
            id=job.__name__, replace_existing=True, max_instances=1, coalesce=True,
        )
    scheduler.start()
    return scheduler


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
