"""Duplicate suspects, merges and touches. Decisions are conditional updates on pending rows."""

import json
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.duplicates import PENDING, Match, Reason, Suspect
from domain.merge import MergeRecord
from storage.models import DuplicateSuspectRow, MergeRow, TouchRow
from storage.repositories.mapping import columns, plain

#: The card's reads, built once (bound parameters) and read as plain rows (no ORM objects):
#: a card is drawn on every change.
_PENDING_FOR = columns(DuplicateSuspectRow).where(
    DuplicateSuspectRow.status == PENDING,
    (DuplicateSuspectRow.contact_id == bindparam("id")) | (DuplicateSuspectRow.other_id == bindparam("id")),
).order_by(DuplicateSuspectRow.score.desc(), DuplicateSuspectRow.id)
_LAST_MERGE = columns(MergeRow).where(MergeRow.merged_id == bindparam("id"), MergeRow.undone_at.is_(None)) \
    .order_by(MergeRow.id.desc()).limit(1)
_TOUCHES = select(func.count()).select_from(TouchRow).where(TouchRow.contact_id == bindparam("id"))


def _suspect(row: DuplicateSuspectRow) -> Suspect:
    reasons = tuple(Reason(r) for r in row.reasons.split(",") if r)
    return Suspect(row.id, row.contact_id, row.other_id, row.score, reasons, row.status)


def _merge(row: MergeRow) -> MergeRecord:
    return MergeRecord(
        id=row.id, keeper_id=row.keeper_id, merged_id=row.merged_id, at=as_utc(row.at),
        keeper_before=json.loads(row.keeper_before), merged_before=json.loads(row.merged_before),
        conflicts=json.loads(row.conflicts),
        withdrawn_offers=[int(x) for x in row.withdrawn_offers.split(",") if x],
        undone_at=as_utc(row.undone_at) if row.undone_at else None,
    )


class DuplicateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def suspect(self, contact_id: int, match: Match, now: datetime) -> bool:
        """Record a pair once (either order); False if it is already known."""
        low, high = sorted((contact_id, match.contact_id))
        known = await self.session.scalar(
            select(DuplicateSuspectRow.id).where(
                DuplicateSuspectRow.contact_id == high, DuplicateSuspectRow.other_id == low))
        if known is not None:
            return False
        self.session.add(DuplicateSuspectRow(
            contact_id=high, other_id=low, score=match.score,
            reasons=",".join(r.value for r in match.reasons), status=PENDING, created_at=now))
        await self.session.flush()
        return True

    async def add_new(self, pairs: list[tuple[int, Match]], now: datetime) -> None:
        """suspect() for pairs of a contact stored in this transaction (so never known yet)
        and its match: one statement for an import's chunk."""
        if pairs:
            await self.session.execute(insert(DuplicateSuspectRow), [{
                "contact_id": max(new, match.contact_id), "other_id": min(new, match.contact_id),
                "score": match.score, "reasons": ",".join(r.value for r in match.reasons),
                "status": PENDING, "created_at": now} for new, match in pairs])

    async def get(self, suspect_id: int) -> Suspect | None:
        row = await self.session.get(DuplicateSuspectRow, suspect_id, populate_existing=True)
        return _suspect(row) if row else None

    async def pending_for(self, contact_id: int) -> list[Suspect]:
        rows = await plain(self.session, _PENDING_FOR, {"id": contact_id})
        return [_suspect(r) for r in rows]

    async def pending_counts(self, contact_ids: list[int]) -> dict[int, int]:
        """Pending suspects per contact (either side of the pair); absent means none."""
        ids, row = sorted(set(contact_ids)), DuplicateSuspectRow
        sides = union_all(
            select(row.contact_id.label("id")).where(row.status == PENDING, row.contact_id.in_(ids)),
            select(row.other_id.label("id")).where(row.status == PENDING, row.other_id.in_(ids)),
        ).subquery()
        found = await self.session.execute(select(sides.c.id, func.count()).group_by(sides.c.id))
        return {contact_id: n for contact_id, n in found.all()}

    async def pending(self, limit: int = 100) -> list[Suspect]:
        rows = await self.session.scalars(
            select(DuplicateSuspectRow).where(DuplicateSuspectRow.status == PENDING)
            .order_by(DuplicateSuspectRow.id).limit(limit))
        return [_suspect(r) for r in rows]

    async def decide(self, suspect_id: int, to: str, actor_id: int | None, now: datetime,
                     expected: str = PENDING) -> bool:
        result = await self.session.execute(
            update(DuplicateSuspectRow)
            .where(DuplicateSuspectRow.id == suspect_id, DuplicateSuspectRow.status == expected)
            .values(status=to, decided_by=actor_id, decided_at=now)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def reopen_pair(self, a: int, b: int) -> None:
        """After an undo the dispatcher decides on the pair again."""
        low, high = sorted((a, b))
        await self.session.execute(
            update(DuplicateSuspectRow)
            .where(DuplicateSuspectRow.contact_id == high, DuplicateSuspectRow.other_id == low)
            .values(status=PENDING, decided_by=None, decided_at=None)
            .execution_options(synchronize_session=False))

    async def add_merge(self, keeper_id: int, merged_id: int, actor_id: int | None,
                        now: datetime, keeper_before: dict, merged_before: dict,
                        conflicts: list, withdrawn: list[int]) -> int:
        row = MergeRow(
            keeper_id=keeper_id, merged_id=merged_id, actor_id=actor_id, at=now,
            keeper_before=json.dumps(keeper_before, default=str),
            merged_before=json.dumps(merged_before, default=str),
            conflicts=json.dumps(conflicts, default=str),
            withdrawn_offers=",".join(str(i) for i in withdrawn))
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def get_merge(self, merge_id: int) -> MergeRecord | None:
        row = await self.session.get(MergeRow, merge_id, populate_existing=True)
        return _merge(row) if row else None

    async def last_merge_of(self, merged_id: int) -> MergeRecord | None:
        rows = await plain(self.session, _LAST_MERGE, {"id": merged_id})
        return _merge(rows[0]) if rows else None

    async def mark_undone(self, merge_id: int, actor_id: int | None, now: datetime) -> bool:
        result = await self.session.execute(
            update(MergeRow).where(MergeRow.id == merge_id, MergeRow.undone_at.is_(None))
            .values(undone_at=now, undone_by=actor_id)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def add_touch(self, contact_id: int, now: datetime, actor_id: int | None, source: str,
                        reasons: tuple[Reason, ...], details: dict) -> None:
        self.session.add(TouchRow(
            contact_id=contact_id, at=now, actor_id=actor_id, source=source[:200],
            reasons=",".join(r.value for r in reasons),
            details=json.dumps(details, default=str)))
        await self.session.flush()

    async def touches(self, contact_id: int) -> int:
        return (await plain(self.session, _TOUCHES, {"id": contact_id}))[0][0]
