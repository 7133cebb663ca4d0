"""Single-use invite tokens."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InviteRow


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, token: str, role: str, created_by: int, now: datetime, expires_at: datetime
    ) -> None:
        self.session.add(
            InviteRow(
                token=token, role=role, created_by=created_by, created_at=now, expires_at=expires_at
            )
        )
        await self.session.flush()

    async def get(self, token: str) -> InviteRow | None:
        return await self.session.scalar(select(InviteRow).where(InviteRow.token == token))

    async def use(self, token: str, member_id: int, now: datetime) -> bool:
        """Conditional, so two people racing on one link cannot both join with it."""
        result = await self.session.execute(
            update(InviteRow)
            .where(InviteRow.token == token, InviteRow.used_by.is_(None), InviteRow.expires_at > now)
            .values(used_by=member_id, used_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1
