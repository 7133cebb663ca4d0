"""Reports for dispatchers and admins, and the targets admins set for multipliers."""

from datetime import datetime, timedelta

from domain.errors import InvalidInput
from domain.members import Member
from domain.matching import MatchPolicy
from domain.contacts import Status
from domain.reports import (
    COACHING_WINDOW,
    STAGE_LOOKBACK,
    Period,
    Report,
    area_weeks,
    coaching,
    stage_times,
)
from domain.supply import SupplyReport, supply_report
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
    supply = await _supply(uow, period.end)
    dispatch_times = await r.dispatch_times(period)
    month = Period(period.end - COACHING_WINDOW, period.end)
    before = Period(month.start - COACHING_WINDOW, month.start)
    report = Report(
        period=period,
        counters=await r.counters(period),
        funnel=await r.funnel(period),
        multipliers=await r.multipliers(period),
        dispatchers=await r.dispatchers(period, auto_name),
        operators=await r.operators(period),
        dispatch_times=dispatch_times,
        web_forms=await uow.web_forms.figures(period),
        milestones=await uow.milestones.reached(period),
        sources=await r.sources(period),
        areas=area_weeks(await r.arrivals_by_area(period)),
        free_capacity={row.key: row.free_capacity for row in supply.by_area},
        coaching=coaching(await r.multiplier_names(), await r.slips(month), await r.slips(before)),
        idle=[(c.member.name, c.member.profile.capacity - c.load) for c in supply.idle],
        stage_times=await _stage_times(uow, period, dispatch_times),
    )
    await uow.commit()
    return report


@use_case
async def area_names(uow: UnitOfWork, actor: Member | None) -> dict[str, str]:
    """Area key -> the name the team gave it, for the area chart."""
    require(actor, Role.ADMIN, *DISPATCH_ROLES)
    areas = await uow.areas.map()
    await uow.commit()
    return {key: areas.name(key) for key in areas.areas}


async def _stage_times(uow: UnitOfWork, period: Period,
                       dispatch_times: list[timedelta]) -> dict[Status, list[timedelta]]:
    r = uow.reports
    times = {Status.NEW: dispatch_times, Status.OFFERED: await r.offer_answer_times(period)}
    changes = await r.stage_changes(period, period.start - STAGE_LOOKBACK)
    return {**times, **stage_times(changes, period)}


async def _supply(uow: UnitOfWork, now: datetime) -> SupplyReport:
    """Free places per area and the idle multipliers now: what the seekers per week are set
    against (the waiting seekers are the /supply report's; not needed here)."""
    policy: MatchPolicy = await uow.settings.match_policy()
    return supply_report([], await uow.members.multiplier_candidates(now), now, policy,
                         lambda _contact: False)


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
