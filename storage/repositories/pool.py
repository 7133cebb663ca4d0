"""Open-pool invitations (domain.pool). Every change is a conditional update on a row still
in the state the caller read, so a Take and a closing pool never both win."""

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.pool import Invitation, InvitationState
from storage.models import PoolInvitationRow
from storage.repositories.mapping import columns, plain

#: The card's reads, built once (bound parameters) and read as plain rows (no ORM objects):
#: a card is drawn on every change.
_OF_CONTACT = columns(PoolInvitationRow).where(PoolInvitationRow.contact_id == bindparam("id")) \
    .order_by(PoolInvitationRow.id)
#: Read by a job at every tick: built once.
_LAPSING = select(PoolInvitationRow.contact_id).where(
    PoolInvitationRow.state == InvitationState.PENDING.value,
    PoolInvitationRow.created_at < bindparam("before", type_=PoolInvitationRow.created_at.type)
).distinct().order_by(PoolInvitationRow.contact_id)


def _invitation(row: PoolInvitationRow) -> Invitation:
    dm = (row.dm_chat_id, row.dm_message_id) \
        if row.dm_chat_id is not None and row.dm_message_id is not None else None
    return Invitation(id=row.id, contact_id=row.contact_id, member_id=row.member_id,
                      opened_by=row.opened_by, state=InvitationState(row.state), days=row.days,
                      created_at=as_utc(row.created_at),
                      closed_at=as_utc(row.closed_at) if row.closed_at else None, dm=dm)


class PoolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contact_id: int, member_id: int, opened_by: int | None, days: int,
                  now: datetime) -> Invitation:
        row = PoolInvitationRow(contact_id=contact_id, member_id=member_id, opened_by=opened_by,
                                state=InvitationState.PENDING.value, days=days, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return _invitation(row)

    async def get(self, invitation_id: int) -> Invitation | None:
        row = await self.session.get(PoolInvitationRow, invitation_id, populate_existing=True)
        return _invitation(row) if row else None

    async def for_contact(self, contact_id: int) -> list[Invitation]:
        rows = await plain(self.session, _OF_CONTACT, {"id": contact_id})
        return [_invitation(r) for r in rows]

    async def pending_for(self, member_id: int) -> list[Invitation]:
        rows = await self.session.scalars(
            select(PoolInvitationRow).where(
                PoolInvitationRow.member_id == member_id,
                PoolInvitationRow.state == InvitationState.PENDING.value)
            .order_by(PoolInvitationRow.id).execution_options(populate_existing=True))
        return [_invitation(r) for r in rows]

    async def lapsing(self, opened_before: datetime) -> list[int]:
        rows = await plain(self.session, _LAPSING, {"before": opened_before})
        return [contact_id for (contact_id,) in rows]

    async def transition(self, invitation_id: int, expected: InvitationState,
                         to: InvitationState, now: datetime) -> bool:
        result = await self.session.execute(
            update(PoolInvitationRow)
            .where(PoolInvitationRow.id == invitation_id,
                   PoolInvitationRow.state == expected.value)
            .values(state=to.value, closed_at=now)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def save_dm(self, invitation_id: int, chat_id: int, message_id: int) -> None:
        await self.session.execute(
            update(PoolInvitationRow).where(PoolInvitationRow.id == invitation_id)
            .values(dm_chat_id=chat_id, dm_message_id=message_id)
            .execution_options(synchronize_session=False))
