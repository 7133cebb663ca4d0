"""Faith milestones a seeker reached (domain.milestones): one row while a milestone is ticked."""

from collections import Counter
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.milestones import Milestone, Reached
from domain.reports import Period
from storage.models import ContactRow, MilestoneRow
from storage.repositories.mapping import columns, plain

#: The card's reads, built once (bound parameters) and read as plain rows (no ORM objects):
#: a card is drawn on every change.
_OF_CONTACT = columns(MilestoneRow).where(MilestoneRow.contact_id == bindparam("id"))


class MilestoneRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of(self, contact_id: int) -> list[Reached]:
        rows = await plain(self.session, _OF_CONTACT, {"id": contact_id})
        return [Reached(r.contact_id, Milestone(r.milestone), as_utc(r.reached_at), r.by)
                for r in rows]

    async def tick(self, contact_id: int, milestone: Milestone, at: datetime,
                   by: int | None) -> None:
        self.session.add(MilestoneRow(contact_id=contact_id, milestone=milestone.value,
                                      reached_at=at, by=by))
        await self.session.flush()

    async def untick(self, contact_id: int, milestone: Milestone) -> bool:
        result = await self.session.execute(
            delete(MilestoneRow).where(MilestoneRow.contact_id == contact_id,
                                       MilestoneRow.milestone == milestone.value))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def reached(self, period: Period, holder_id: int | None = None) -> dict[Milestone, int]:
        """How many seekers reached each milestone in the period (those one multiplier
        holds, with `holder_id`)."""
        query = (select(MilestoneRow.milestone, func.count())
                 .where(MilestoneRow.reached_at >= period.start,
                        MilestoneRow.reached_at < period.end)
                 .group_by(MilestoneRow.milestone))
        if holder_id is not None:
            query = query.join(ContactRow, ContactRow.id == MilestoneRow.contact_id).where(
                ContactRow.assignee_id == holder_id)
        counts: Counter[Milestone] = Counter()
        for milestone, count in await self.session.execute(query):
            counts[Milestone(milestone)] = count
        return dict(counts)
