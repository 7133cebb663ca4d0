"""Members, their roles and multiplier profiles."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contacts import LOAD_STATUSES
from domain.matching import Candidate
from domain.members import Member, Profile
from domain.roles import Role
from storage.models import ContactRow, MemberRoleRow, MemberRow, ProfileRow
from storage.repositories.mapping import member_from_row, plain, profile_to_row
from storage.repositories.tracks import TrackRepository
from storage.team_stamp import kept, wrote


@dataclass(frozen=True)
class _Team:
    """Everyone, as one read of the members' tables gives them (kept: storage.team_stamp)."""

    members: tuple[Member, ...]  # by name, then id
    by_id: dict[int, Member]
    by_tg: dict[int, Member]


#: Read with every ranking (each card waiting for dispatch), so built once. Everyone's
#: count, not an IN list of the team: the list cost more to bind than the read (the
#: covering index ix_contacts_status_assignee, migration 0022, answers it alone).
_LOADS = select(ContactRow.assignee_id, func.count()) \
    .where(ContactRow.status.in_([s.value for s in LOAD_STATUSES]),
           ContactRow.assignee_id.is_not(None)) \
    .group_by(ContactRow.assignee_id)


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int) -> Member | None:
        return (await self._team()).by_id.get(member_id)

    async def by_tg_user(self, tg_user_id: int) -> Member | None:
        return (await self._team()).by_tg.get(tg_user_id)

    async def list_all(self) -> list[Member]:
        return list((await self._team()).members)

    async def _team(self) -> _Team:
        return await kept(self.session, "members", self._read_team)

    async def _read_team(self) -> _Team:
        members = await self._load(select(MemberRow).order_by(MemberRow.name, MemberRow.id))
        return _Team(tuple(members), {m.id: m for m in members}, {m.tg_user_id: m for m in members})

    async def add(
        self, tg_user_id: int, name: str, username: str | None, roles: set[Role], now: datetime
    ) -> Member:
        row = MemberRow(tg_user_id=tg_user_id, name=name, username=username, created_at=now)
        wrote(self.session)
        self.session.add(row)
        await self.session.flush()
        await self.set_roles(row.id, roles)
        member = await self.get(row.id)
        assert member is not None
        return member

    async def set_roles(self, member_id: int, roles: set[Role]) -> None:
        wrote(self.session)
        await self.session.execute(delete(MemberRoleRow).where(MemberRoleRow.member_id == member_id))
        self.session.add_all(MemberRoleRow(member_id=member_id, role=r.value) for r in roles)
        await self.session.flush()

    async def update(self, member_id: int, **fields: object) -> None:
        wrote(self.session)
        await self.session.execute(update(MemberRow).where(MemberRow.id == member_id).values(**fields))

    async def update_many(self, member_ids: Iterable[int], **fields: object) -> None:
        ids = list(member_ids)
        if ids:
            wrote(self.session)
            await self.session.execute(update(MemberRow).where(MemberRow.id.in_(ids)).values(**fields))

    async def save_profile(self, member_id: int, profile: Profile) -> None:
        values = profile_to_row(member_id, profile)
        wrote(self.session)
        row = await self.session.get(ProfileRow, member_id)
        if row is None:
            self.session.add(ProfileRow(**values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await self.session.flush()

    async def multiplier_candidates(self, now: datetime) -> list[Candidate]:
        """Every active multiplier with the contacts they hold now and their track record."""
        members = sorted((m for m in (await self._team()).members if m.active and m.is_multiplier),
                         key=lambda m: m.id)
        ids = [m.id for m in members]
        loads = await self.loads(ids)
        tracks = await TrackRepository(self.session).for_members(ids, now)
        return [Candidate(m, loads.get(m.id, 0), tracks[m.id]) for m in members]

    async def loads(self, member_ids: list[int]) -> dict[int, int]:
        wanted = set(member_ids)
        rows = await plain(self.session, _LOADS)
        return {member_id: count for member_id, count in rows if member_id in wanted}

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
