"""Members, their roles and multiplier profiles."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contacts import LOAD_STATUSES
from domain.matching import Candidate
from domain.members import Member, Profile
from domain.roles import Role
from storage.models import ContactRow, MemberRoleRow, MemberRow, ProfileRow
from storage.repositories.mapping import member_from_row, profile_to_row
from storage.repositories.tracks import TrackRepository


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int) -> Member | None:
        members = await self._load(select(MemberRow).where(MemberRow.id == member_id))
        return members[0] if members else None

    async def by_tg_user(self, tg_user_id: int) -> Member | None:
        members = await self._load(select(MemberRow).where(MemberRow.tg_user_id == tg_user_id))
        return members[0] if members else None

    async def list_all(self) -> list[Member]:
        return await self._load(select(MemberRow).order_by(MemberRow.name, MemberRow.id))

    async def add(
        self, tg_user_id: int, name: str, username: str | None, roles: set[Role], now: datetime
    ) -> Member:
        row = MemberRow(tg_user_id=tg_user_id, name=name, username=username, created_at=now)
        self.session.add(row)
        await self.session.flush()
        await self.set_roles(row.id, roles)
        member = await self.get(row.id)
        assert member is not None
        return member

    async def set_roles(self, member_id: int, roles: set[Role]) -> None:
        await self.session.execute(delete(MemberRoleRow).where(MemberRoleRow.member_id == member_id))
        self.session.add_all(MemberRoleRow(member_id=member_id, role=r.value) for r in roles)
        await self.session.flush()

    async def update(self, member_id: int, **fields: object) -> None:
        await self.session.execute(update(MemberRow).where(MemberRow.id == member_id).values(**fields))

    async def save_profile(self, member_id: int, profile: Profile) -> None:
        values = profile_to_row(member_id, profile)
        row = await self.session.get(ProfileRow, member_id)
        if row is None:
            self.session.add(ProfileRow(**values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await self.session.flush()

    async def multiplier_candidates(self, now: datetime) -> list[Candidate]:
        """Every active multiplier with the contacts they hold now and their track record."""
        multipliers = select(MemberRoleRow.member_id).where(
            MemberRoleRow.role == Role.MULTIPLIER.value)
        members = [m for m in await self._load(select(MemberRow).where(
            MemberRow.active.is_(True), MemberRow.id.in_(multipliers))) if m.is_multiplier]
        ids = [m.id for m in members]
        loads = await self.loads(ids)
        tracks = await TrackRepository(self.session).for_members(ids, now)
        return [Candidate(m, loads.get(m.id, 0), tracks[m.id]) for m in members]

    async def loads(self, member_ids: list[int]) -> dict[int, int]:
        rows = await self.session.execute(
            select(ContactRow.assignee_id, func.count())
            .where(ContactRow.assignee_id.in_(member_ids))
            .where(ContactRow.status.in_([s.value for s in LOAD_STATUSES]))
            .group_by(ContactRow.assignee_id)
        )
        return {member_id: count for member_id, count in rows.all()}

    async def _load(self, query) -> list[Member]:  # type: ignore[no-untyped-def]
        """`query` selects MemberRow; read as plain rows (the columns, no ORM objects): every
        card reads the whole team, and building ORM objects was most of that."""
        rows = (await self.session.execute(
            query.with_only_columns(*MemberRow.__table__.columns))).all()
        ids = [r.id for r in rows]
        roles: dict[int, set[str]] = defaultdict(set)
        for member_id, role in await self.session.execute(
            select(MemberRoleRow.member_id, MemberRoleRow.role).where(MemberRoleRow.member_id.in_(ids))
        ):
            roles[member_id].add(role)
        profiles = {
            p.member_id: p
            for p in await self.session.execute(
                select(*ProfileRow.__table__.columns).where(ProfileRow.member_id.in_(ids)))
        }
        return [member_from_row(r, roles[r.id], profiles.get(r.id)) for r in rows]
