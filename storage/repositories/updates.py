"""Telegram update ids already handled, so a redelivered update has no second effect.

An update is recorded as handled *in the first transaction of its handler that changes
anything* (see storage.uow), so a handler that fails before that (e.g. SQLite's writer lock)
leaves no trace and a later delivery handles it; a handler that changed nothing is recorded
when it ends (`claim_update`)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.engine import read_only
from storage.models import ProcessedUpdateRow


class AlreadyHandled(Exception):
    """Another delivery of the same update committed its effects first."""


@dataclass
class UpdateClaim:
    """One delivery's claim on its update id; `held` once it is committed."""

    update_id: int
    at: datetime
    held: bool = False


async def handled(session_factory: async_sessionmaker, update_id: int) -> bool:
    """A delivery of this update committed before (this one is a repeat)."""
    with read_only(inline=True):
        async with session_factory() as session:
            return await session.get(ProcessedUpdateRow, update_id) is not None


async def hold(session: AsyncSession, claim: UpdateClaim) -> None:
    """Put the claim into the session's transaction, to commit with the handler's changes.
    The handler's own rows are flushed first, so an IntegrityError after that is the claim's."""
    await session.flush()
    session.add(ProcessedUpdateRow(update_id=claim.update_id, at=claim.at))
    try:
        await session.flush()
    except IntegrityError as exc:
        raise AlreadyHandled(claim.update_id) from exc


async def claim_update(session_factory: async_sessionmaker, claim: UpdateClaim) -> None:
    """Record an update whose handler changed nothing (its answer is not repeated)."""
    async with session_factory() as session:
        try:
            await hold(session, claim)
            await session.commit()
        except AlreadyHandled:
            pass
    claim.held = True


async def forget_updates(session_factory: async_sessionmaker, before: datetime) -> int:
    """Delete the ids recorded before `before` (Telegram redelivers within hours, not days);
    without this the table gains a row per update forever. Returns how many went."""
    async with session_factory() as session:
        result = await session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.at < before))
        await session.commit()
    return result.rowcount or 0
