"""The weekly report to admins: last week's counters, supply vs demand, unserved seekers.
Like digests, it is sent when its slot passed since the last one, so a restart skips none."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from domain.reports import Period
from domain.roles import Role
from domain.timing import latest_weekly_slot, parse_weekly
from scheduler.context import JobContext
from services import notify, reports, supply
from views import report_texts, supply_texts
from views.texts import fit

LAST_SENT = "weekly_report_at"


async def send_weekly_report(ctx: JobContext) -> None:
    if not ctx.settings.weekly_report:
        return
    now, zone = ctx.clock.now(), ZoneInfo(ctx.settings.team_timezone)
    weekday, at = parse_weekly(ctx.settings.weekly_report)
    slot = latest_weekly_slot(now, zone, weekday, at)
    async with ctx.uow() as uow:
        last = await uow.settings.get(LAST_SENT)
        if last is None:  # a new deployment starts from now, not with last week's report
            await uow.settings.set(LAST_SENT, slot.isoformat())
            await uow.commit()
            return
        if last >= slot.isoformat():
            return
    async with ctx.uow() as uow:
        with ctx.texts():
            previous = latest_weekly_slot(slot - timedelta(seconds=1), zone, weekday, at)
            week = await reports.team_report(uow, Period(previous, slot), report_texts.auto_name())
            demand, names = await supply.team_supply(uow, now)
            text = fit(report_texts.summary(week, zone) + "\n\n" + supply_texts.weekly(demand, names))
            for admin in [m for m in await uow.members.list_all() if m.has(Role.ADMIN)]:
                await notify.to_member(uow, admin, text, now, ctx.quiet,
                                       dedupe_key=f"weekly:{admin.id}:{slot.isoformat()}")
        await uow.settings.set(LAST_SENT, slot.isoformat())
        await uow.commit()
