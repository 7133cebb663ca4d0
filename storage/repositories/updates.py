"""Telegram update ids already handled, so a redelivered update has no second effect."""

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.models import ProcessedUpdateRow


async def claim_update(session_factory: async_sessionmaker, update_id: int, now: datetime) -> bool:
    """True for the first delivery of an update id, False for every repeat."""
    async with session_factory() as session:
        session.add(ProcessedUpdateRow(update_id=update_id, at=now))
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return False
    return True


async def forget_updates(session_factory: async_sessionmaker, before: datetime) -> int:
    """Delete the ids claimed before `before` (Telegram redelivers within hours, not days);
    without this the table gains a row per update forever. Returns how many went."""
    async with session_factory() as session:
        result = await session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.at < before))
        await session.commit()
    return result.rowcount or 0
