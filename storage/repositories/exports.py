"""Whole tables read for export, oldest first."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contacts import Contact
from storage.models import AuditRow, ContactRow
from storage.repositories.mapping import contact_from_row


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def contacts(self, since: datetime | None) -> list[Contact]:
        query = select(ContactRow).order_by(ContactRow.id)
        if since is not None:
            query = query.where(ContactRow.created_at >= since)
        return [contact_from_row(r) for r in await self.session.scalars(query)]

    async def audit(self, since: datetime | None) -> list[list[object]]:
        query = select(AuditRow).order_by(AuditRow.id)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        return [[r.id, r.at.isoformat(), r.actor_id or "", r.entity, r.entity_id, r.action,
                 r.before or "", r.after or ""] for r in await self.session.scalars(query)]
