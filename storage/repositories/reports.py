"""Report figures, aggregated in SQL (counts, groupings); the definitions are domain.reports."""

import json
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.contacts import Status
from domain.conversations import TriageAction
from domain.reports import (
    CLOSED_STAGES,
    Counters,
    DispatcherFigures,
    MultiplierFigures,
    OperatorFigures,
    Period,
    Slips,
    SourceFunnel,
    offer_waits,
)
from domain.roles import Role
from domain.supply import WAITING
from storage.models import (
    AuditRow,
    ContactRow,
    MemberRoleRow,
    MemberRow,
    OfferRow,
    TriageEventRow,
)


def _stage(*statuses: Status) -> list[str]:
    """Audit rows keep the new stage as JSON text."""
    return [json.dumps(s.value) for s in statuses]


def _in(column, period: Period):  # type: ignore[no-untyped-def]
    return and_(column >= period.start, column < period.end)


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _count(self, query) -> int:  # type: ignore[no-untyped-def]
        return int(await self.session.scalar(query) or 0)

    async def counters(self, period: Period) -> Counters:
        ended = or_(AuditRow.action.like("close:%"), AuditRow.action == "auto_close",
                    and_(AuditRow.action == "stage", AuditRow.after.in_(_stage(*CLOSED_STAGES))))
        return Counters(
            new=await self._count(select(func.count()).where(_in(ContactRow.created_at, period))),
            dispatched=await self._count(select(func.count(func.distinct(OfferRow.contact_id)))
                                         .where(_in(OfferRow.created_at, period))),
            accepted=await self._count(select(func.count()).where(
                OfferRow.status == "accepted", _in(OfferRow.answered_at, period))),
            reached=await self._count(select(func.count()).where(_in(OfferRow.reached_at, period))),
            met=await self._count(self._contacts_with(
                _in(AuditRow.at, period), AuditRow.action == "stage",
                AuditRow.after.in_(_stage(Status.MET)))),
            closed=await self._count(self._contacts_with(_in(AuditRow.at, period), ended)),
            waiting_now=await self._count(select(func.count()).where(
                ContactRow.status.in_([s.value for s in WAITING]))),
        )

    def _contacts_with(self, *conditions):  # type: ignore[no-untyped-def]
        return select(func.count(func.distinct(AuditRow.entity_id))).where(
            AuditRow.entity == "contact", *conditions)

    async def funnel(self, period: Period) -> dict[Status, int]:
        rows = await self.session.execute(
            select(ContactRow.status, func.count()).where(_in(ContactRow.created_at, period))
            .group_by(ContactRow.status))
        return {Status(status): count for status, count in rows}

    async def sources(self, period: Period) -> list[SourceFunnel]:
        """Per source, the seekers who arrived in the period and how far they got since."""
        offered = select(OfferRow.id).where(OfferRow.contact_id == ContactRow.id)
        reached = offered.where(OfferRow.reached_at.is_not(None))
        met = select(AuditRow.id).where(
            AuditRow.entity == "contact", AuditRow.entity_id == ContactRow.id,
            AuditRow.action == "stage", AuditRow.after.in_(_stage(Status.MET)))

        def having(query) -> object:  # type: ignore[no-untyped-def]
            return func.sum(case((query.exists(), 1), else_=0))

        rows = await self.session.execute(
            select(ContactRow.source, func.count(), having(offered), having(reached), having(met))
            .where(_in(ContactRow.created_at, period), ContactRow.status != Status.MERGED.value)
            .group_by(ContactRow.source))
        funnels = [SourceFunnel(source or "", new, int(d or 0), int(r or 0), int(m or 0))
                   for source, new, d, r, m in rows]
        return sorted(funnels, key=lambda f: (-f.new, f.source))

    async def arrivals_by_area(self, period: Period) -> list[tuple[str | None, datetime]]:
        """(area key, arrival) of the seekers who arrived in the period (weeks: domain)."""
        rows = await self.session.execute(
            select(ContactRow.area_key, ContactRow.created_at)
            .where(_in(ContactRow.created_at, period), ContactRow.status != Status.MERGED.value)
            .order_by(ContactRow.id))
        return [(area, as_utc(at)) for area, at in rows]

    async def slips(self, period: Period) -> dict[int, Slips]:
        """Per multiplier: offers declined and let expire in the period, and reminders sent
        about seekers they held at the time."""
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for name, status, column in (("declines", "declined", OfferRow.answered_at),
                                     ("lapses", "expired", OfferRow.expires_at)):
            rows = await self.session.execute(
                select(OfferRow.multiplier_id, func.count())
                .where(OfferRow.status == status, _in(column, period))
                .group_by(OfferRow.multiplier_id))
            for member_id, n in rows:
                counts[member_id][name] = n
        held = and_(OfferRow.contact_id == AuditRow.entity_id, OfferRow.status == "accepted",
                    OfferRow.answered_at <= AuditRow.at,
                    or_(OfferRow.released_at.is_(None), OfferRow.released_at > AuditRow.at))
        rows = await self.session.execute(
            select(OfferRow.multiplier_id, func.count(func.distinct(AuditRow.id)))
            .join(OfferRow, held)
            .where(AuditRow.entity == "contact", AuditRow.action == "nag", _in(AuditRow.at, period))
            .group_by(OfferRow.multiplier_id))
        for member_id, n in rows:
            counts[member_id]["overdue"] = n
        return {member_id: Slips(**c) for member_id, c in counts.items()}

    async def stage_changes(self, period: Period, since: datetime) -> list[tuple[int, datetime, Status]]:
        """(contact, when, stage entered) from `since` to the period's end: accepts (from
        the offers) and the stages holders reported (from the audit log)."""
        accepts = await self.session.execute(
            select(OfferRow.contact_id, OfferRow.answered_at)
            .where(OfferRow.status == "accepted", OfferRow.answered_at >= since,
                   OfferRow.answered_at < period.end))
        stages = await self.session.execute(
            select(AuditRow.entity_id, AuditRow.at, AuditRow.after)
            .where(AuditRow.entity == "contact", AuditRow.action == "stage",
                   AuditRow.at >= since, AuditRow.at < period.end))
        return ([(c, as_utc(at), Status.ACCEPTED) for c, at in accepts]
                + [(c, as_utc(at), Status(json.loads(after))) for c, at, after in stages])

    async def offer_answer_times(self, period: Period) -> list[timedelta]:
        """How long offers answered or lapsed in the period waited for it."""
        rows = await self.session.execute(
            select(OfferRow.created_at, OfferRow.answered_at)
            .where(OfferRow.status.in_(["accepted", "declined", "expired"]),
                   _in(OfferRow.answered_at, period)))
        return [as_utc(answered) - as_utc(created) for created, answered in rows]

    async def multiplier_names(self) -> dict[int, str]:
        return dict(await self._members_with(Role.MULTIPLIER))

    async def multipliers(self, period: Period) -> list[MultiplierFigures]:
        figures = {m.member_id: m for m in [
            MultiplierFigures(member_id, name)
            for member_id, name in await self._members_with(Role.MULTIPLIER)]}
        offers = await self.session.execute(
            select(OfferRow.multiplier_id, func.count(),
                   func.sum(case((OfferRow.status == "accepted", 1), else_=0)))
            .where(_in(OfferRow.created_at, period)).group_by(OfferRow.multiplier_id))
        for member_id, count, accepted in offers:
            if member_id in figures:
                figures[member_id].offers, figures[member_id].accepted = count, int(accepted or 0)
        first_stage = (select(func.min(AuditRow.at))
                       .where(AuditRow.entity == "contact", AuditRow.entity_id == OfferRow.contact_id,
                              AuditRow.action == "stage", AuditRow.actor_id == OfferRow.multiplier_id,
                              AuditRow.at >= OfferRow.answered_at)
                       .correlate(OfferRow).scalar_subquery())
        accepted = await self.session.execute(
            select(OfferRow.multiplier_id, OfferRow.created_at, OfferRow.answered_at, first_stage)
            .where(OfferRow.status == "accepted", _in(OfferRow.answered_at, period)))
        for member_id, created, answered, first in accepted:
            if member_id in figures:
                figures[member_id].accept_times.append(as_utc(answered) - as_utc(created))
                if first is not None:
                    figures[member_id].first_contact_times.append(as_utc(first) - as_utc(answered))
        overdue = await self.session.execute(
            select(ContactRow.assignee_id, func.count())
            .where(ContactRow.assignee_id.is_not(None),
                   or_(ContactRow.nag_count > 0, ContactRow.escalated_at.is_not(None)))
            .group_by(ContactRow.assignee_id))
        met = await self.session.execute(
            select(AuditRow.actor_id, func.count(func.distinct(AuditRow.entity_id)))
            .where(AuditRow.entity == "contact", AuditRow.action == "stage",
                   AuditRow.after.in_(_stage(Status.MET)), _in(AuditRow.at, period))
            .group_by(AuditRow.actor_id))
        for attribute, rows in (("overdue_now", overdue), ("met", met)):
            for member_id, count in rows:
                if member_id in figures:
                    setattr(figures[member_id], attribute, count)
        return sorted(figures.values(), key=lambda f: (-f.offers, f.name))

    async def dispatchers(self, period: Period, auto_name: str) -> list[DispatcherFigures]:
        """Who made the offers of the period, and how long each contact had waited for it."""
        in_period = select(OfferRow.contact_id).where(_in(OfferRow.created_at, period))
        rows = await self.session.execute(
            select(OfferRow.contact_id, OfferRow.offered_by, OfferRow.created_at,
                   OfferRow.answered_at, ContactRow.created_at)
            .join(ContactRow, ContactRow.id == OfferRow.contact_id)
            .where(OfferRow.contact_id.in_(in_period))
            .order_by(OfferRow.contact_id, OfferRow.created_at, OfferRow.id))
        by_contact: dict[int, list] = defaultdict(list)  # type: ignore[type-arg]
        for row in rows:
            by_contact[row[0]].append(row)
        names = dict(await self._members_with(None))
        figures: dict[int | None, DispatcherFigures] = {}
        for offers in by_contact.values():
            arrived = as_utc(offers[0][4])
            times = [(as_utc(o[2]), as_utc(o[3]) if o[3] else None) for o in offers]
            for offer, wait in zip(offers, offer_waits(arrived, times), strict=True):
                if not period.start <= as_utc(offer[2]) < period.end:
                    continue
                who = offer[1]
                f = figures.setdefault(who, DispatcherFigures(who, names.get(who, auto_name)
                                                              if who else auto_name))
                f.offers += 1
                f.waits.append(wait)
        return sorted(figures.values(), key=lambda f: (f.member_id is None, -f.offers, f.name))

    async def operators(self, period: Period) -> list[OperatorFigures]:
        """Operators, and anyone else who triaged seekers' messages in the period."""
        names = dict(await self._members_with(None))
        figures = {member_id: OperatorFigures(member_id, name)
                   for member_id, name in await self._members_with(Role.OPERATOR)}

        def of(member_id: int) -> OperatorFigures:
            return figures.setdefault(member_id, OperatorFigures(member_id, names.get(member_id, "?")))

        rows = await self.session.execute(
            select(ContactRow.created_by, func.count()).where(_in(ContactRow.created_at, period))
            .group_by(ContactRow.created_by))
        for member_id, count in rows:
            if member_id in figures:
                figures[member_id].entered = count
        triage = await self.session.execute(
            select(TriageEventRow.member_id, TriageEventRow.action, TriageEventRow.waited_seconds)
            .where(_in(TriageEventRow.at, period)))
        for member_id, action, waited in triage:
            if waited is not None:  # the request's first handling; finishing a claim is not
                of(member_id).triaged += 1
                of(member_id).triage_times.append(timedelta(seconds=waited))
            if action == TriageAction.SPAM.value:
                of(member_id).spam += 1
        return sorted(figures.values(), key=lambda f: (-f.triaged - f.entered, f.name))

    async def dispatch_times(self, period: Period) -> list[timedelta]:
        """Arrival to first offer, for contacts whose first offer fell in the period."""
        first = (select(OfferRow.contact_id, func.min(OfferRow.created_at).label("at"))
                 .group_by(OfferRow.contact_id).subquery())
        rows = await self.session.execute(
            select(first.c.at, ContactRow.created_at)
            .join(ContactRow, ContactRow.id == first.c.contact_id)
            .where(_in(first.c.at, period)))
        return [as_utc(at) - as_utc(arrived) for at, arrived in rows]

    async def _members_with(self, role: Role | None) -> list[tuple[int, str]]:
        query = select(MemberRow.id, MemberRow.name)
        if role is not None:
            query = query.join(MemberRoleRow, MemberRoleRow.member_id == MemberRow.id).where(
                MemberRoleRow.role == role.value)
        return [(member_id, name) for member_id, name in await self.session.execute(query)]

    async def progress(self, member_id: int, since: datetime) -> tuple[int, int, int, int]:
        """(taken, reached, met, closed) by one multiplier since a moment."""
        taken = await self._count(select(func.count()).where(
            OfferRow.multiplier_id == member_id, OfferRow.status == "accepted",
            OfferRow.answered_at >= since))
        reached = await self._count(select(func.count()).where(
            OfferRow.multiplier_id == member_id, OfferRow.reached_at >= since))
        mine = (AuditRow.at >= since, AuditRow.actor_id == member_id, AuditRow.action == "stage")
        met = await self._count(self._contacts_with(*mine, AuditRow.after.in_(_stage(Status.MET))))
        closed = await self._count(self._contacts_with(
            *mine, AuditRow.after.in_(_stage(*CLOSED_STAGES))))
        return taken, reached, met, closed
