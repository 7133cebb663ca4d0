"""A Telegram update is recorded as handled in the transaction of its handler's first change
(issue #13): read-only commits and rolled-back work leave it unclaimed, so a later delivery
is handled; a committed change claims it, and a second delivery's change is refused."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.repositories.updates import AlreadyHandled, UpdateClaim, handled
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_read_only_and_rolled_back_work_leave_the_update_unclaimed(
        session_factory: async_sessionmaker) -> None:
    claim = UpdateClaim(7, NOW)
    async with UnitOfWork(session_factory, claim=claim) as uow:
        await uow.settings.team_chat_id()
        await uow.commit()  # a read (the member middleware's)
        await uow.settings.set("team_chat_id", "-100")
        await uow.rollback()  # the handler's change failed
    assert not claim.held and not await handled(session_factory, 7)


async def test_the_first_committed_change_claims_the_update_and_a_repeat_is_refused(
        session_factory: async_sessionmaker) -> None:
    first, second = UpdateClaim(7, NOW), UpdateClaim(7, NOW)
    async with UnitOfWork(session_factory, claim=first) as uow:
        await uow.settings.set("team_chat_id", "-100")
        await uow.commit()
    assert first.held and await handled(session_factory, 7)
    async with UnitOfWork(session_factory, claim=second) as uow:
        await uow.settings.set("team_chat_id", "-200")
        with pytest.raises(AlreadyHandled):
            await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert await uow.settings.get("team_chat_id") == "-100"
