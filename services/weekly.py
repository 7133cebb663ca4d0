"""The weekly report to admins: last week's figures with supply and demand, once per slot."""

from collections.abc import Callable
from datetime import datetime

from domain.delivery import Purpose
from domain.reports import Period, Report
from domain.roles import Role
from domain.supply import SupplyReport
from services import notify, reports, supply
from services.ports import UnitOfWork
from services.transaction import use_case

LAST_SENT = "weekly_report_at"

#: Renders the report in a locale: (locale, last week, supply now, area names) -> text.
ComposeWeekly = Callable[[str, Report, SupplyReport, dict[str, str]], str]


@use_case
async def due(uow: UnitOfWork, slot: datetime) -> bool:
    """Whether the report for `slot` is still to be sent. A new deployment starts from now,
    not with last week's report."""
    last = await uow.settings.get(LAST_SENT)
    if last is None:
        await uow.settings.set(LAST_SENT, slot.isoformat())
    await uow.commit()
    return last is not None and last < slot.isoformat()


@use_case
async def send(uow: UnitOfWork, week: Period, now: datetime, auto_name: str,
               quiet: notify.Quiet, compose: ComposeWeekly) -> None:
    """To every admin, once for the week that ended at `week.end` (de-duplicated)."""
    report = await reports.team_report(uow, week, auto_name)
    demand, names = await supply.team_supply(uow, now)
    for admin in [m for m in await uow.members.list_all() if m.has(Role.ADMIN)]:
        text = lambda locale: compose(locale, report, demand, names)  # noqa: E731
        await notify.to_member(uow, admin, text, now, quiet, purpose=Purpose.DIGEST,
                               dedupe_key=f"weekly:{admin.id}:{week.end.isoformat()}")
    await uow.settings.set(LAST_SENT, week.end.isoformat())
    await uow.commit()
