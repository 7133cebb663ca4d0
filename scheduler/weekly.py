"""The weekly report to admins: last week's counters, supply vs demand, unserved seekers.
Like digests, it is sent when its slot passed since the last one, so a restart skips none."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from domain.reports import Period, Report
from domain.supply import SupplyReport
from domain.timing import latest_weekly_slot, parse_weekly
from scheduler.context import JobContext
from services import weekly
from views import report_texts, supply_texts
from views.texts import fit
from views.language import for_reader


async def send_weekly_report(ctx: JobContext) -> None:
    if not ctx.settings.weekly_report:
        return
    now, zone = ctx.clock.now(), ZoneInfo(ctx.settings.team_timezone)
    weekday, at = parse_weekly(ctx.settings.weekly_report)
    slot = latest_weekly_slot(now, zone, weekday, at)
    async with ctx.uow() as uow:
        if not await weekly.due(uow, slot):
            return
    previous = latest_weekly_slot(slot - timedelta(seconds=1), zone, weekday, at)

    @for_reader
    def compose(report: Report, demand: SupplyReport, names: dict[str, str]) -> str:
        return fit(report_texts.summary(report, zone) + "\n\n" + supply_texts.weekly(demand, names))

    async with ctx.uow() as uow:
        with ctx.texts():
            await weekly.send(uow, Period(previous, slot), now, report_texts.auto_name(),
                              ctx.quiet, compose)
