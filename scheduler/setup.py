"""APScheduler wiring: the jobs run on an interval and read their work from the database."""

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.context import JobContext
from scheduler.digests import send_digests
from scheduler.jobs import auto_close, expire_offers, find_missed_duplicates, nag_followups

JOBS = (expire_offers, nag_followups, auto_close, send_digests, find_missed_duplicates)


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
