"""Admins take the contacts or the audit log out as tables. Seekers' data leaving the system
is itself recorded in the audit log (who, what, since when, how many rows)."""

from datetime import datetime

from domain.exports import contact_row
from domain.members import Member
from domain.roles import Role
from services.access import require
from services.ports import UnitOfWork
from services.transaction import use_case


@use_case
async def contacts(uow: UnitOfWork, actor: Member | None, since: datetime | None,
                   now: datetime) -> list[list[object]]:
    actor = require(actor, Role.ADMIN)
    rows = [contact_row(c) for c in await uow.exports.contacts(since)]
    await _record(uow, actor, "contacts", since, len(rows), now)
    return rows


@use_case
async def audit(uow: UnitOfWork, actor: Member | None, since: datetime | None,
                now: datetime) -> list[list[object]]:
    actor = require(actor, Role.ADMIN)
    rows = await uow.exports.audit(since)
    await _record(uow, actor, "audit", since, len(rows), now)
    return rows


async def _record(uow: UnitOfWork, actor: Member, what: str, since: datetime | None,
                  count: int, now: datetime) -> None:
    await uow.audit.record(now, actor.id, "export", 0, what, None,
                           {"since": since.isoformat() if since else None, "rows": count})
    await uow.commit()
