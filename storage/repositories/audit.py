"""The audit log: who changed what, when, from what to what."""

import json
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditRow
from storage.repositories.mapping import write


#: Every state change writes a row: an INSERT statement, not an ORM object the session flushes
#: (the flush's bookkeeping cost more than the statement).
_RECORD = insert(AuditRow)


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        at: datetime,
        actor_id: int | None,
        entity: str,
        entity_id: int,
        action: str,
        before: object = None,
        after: object = None,
    ) -> None:
        await write(self.session, _RECORD, {
            "at": at, "actor_id": actor_id, "entity": entity, "entity_id": entity_id,
            "action": action,
            "before": None if before is None else json.dumps(before, default=str),
            "after": None if after is None else json.dumps(after, default=str),
        })

    async def record_many(self, at: datetime, actor_id: int | None, entity: str, action: str,
                          changes: list[tuple[int, object]]) -> None:
        """record() of one action on many entities, `changes` as (entity_id, after): one
        statement for an import's chunk."""
        if changes:
            await self.session.execute(_RECORD, [{
                "at": at, "actor_id": actor_id, "entity": entity, "entity_id": entity_id,
                "action": action, "before": None,
                "after": None if after is None else json.dumps(after, default=str),
            } for entity_id, after in changes])

    async def for_entity(self, entity: str, entity_id: int) -> list[AuditRow]:
        rows = await self.session.scalars(
            select(AuditRow)
            .where(AuditRow.entity == entity, AuditRow.entity_id == entity_id)
            .order_by(AuditRow.id)
        )
        return list(rows)

    async def recent(self, entity: str, actions: list[str], since: datetime) -> list[AuditRow]:
        """Events since a moment: what a digest reports as news."""
        rows = await self.session.scalars(
            select(AuditRow)
            .where(AuditRow.entity == entity, AuditRow.action.in_(actions), AuditRow.at > since)
            .order_by(AuditRow.id)
        )
        return list(rows)
