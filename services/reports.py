"""Reports for dispatchers and admins, and the targets admins set for multipliers."""

from datetime import datetime

from domain.errors import InvalidInput
from domain.members import Member
from domain.reports import Period, Report
from domain.roles import DISPATCH_ROLES, Role
from services.access import found, require
from services.ports import UnitOfWork
from services.transaction import use_case

MAX_TARGET = 1000


@use_case
async def build_report(uow: UnitOfWork, actor: Member | None, period: Period,
                       auto_name: str) -> Report:
    """`auto_name` labels the offers auto-dispatch made, in the reader's language."""
    require(actor, Role.ADMIN, *DISPATCH_ROLES)
    return await team_report(uow, period, auto_name)


@use_case
async def team_report(uow: UnitOfWork, period: Period, auto_name: str) -> Report:
    """The same report for the scheduler's weekly message (no actor)."""
    r = uow.reports
    report = Report(
        period=period,
        counters=await r.counters(period),
        funnel=await r.funnel(period),
        multipliers=await r.multipliers(period),
        dispatchers=await r.dispatchers(period, auto_name),
        operators=await r.operators(period),
        dispatch_times=await r.dispatch_times(period),
        web_forms=await uow.web_forms.figures(period),
        milestones=await uow.milestones.reached(period),
    )
    await uow.commit()
    return report


@use_case
async def set_target(uow: UnitOfWork, actor: Member | None, who: str, target: int,
                     now: datetime) -> Member:
    """Meetings per 30 days for the multiplier named (or @username); 0 removes the target."""
    actor = require(actor, Role.ADMIN)
    wanted = who.strip().lstrip("@").casefold()
    matches = [m for m in await uow.members.list_all() if m.has(Role.MULTIPLIER)
               and wanted in (m.name.casefold(), (m.username or "").casefold())]
    member = found(matches[0] if len(matches) == 1 else None, "member")
    if not 0 <= target <= MAX_TARGET:
        raise InvalidInput("target")
    member_id = member.id
    before = await uow.settings.target(member_id)
    await uow.settings.set_target(member_id, target or None)
    await uow.audit.record(now, actor.id, "member", member_id, "target", before, target or None)
    await uow.commit()
    return member
