"""Transactions that only read (storage.engine.read_only, UnitOfWork.reading): on SQLite they
read beside a writer instead of queueing behind it, see only what was committed, and refuse
to write."""

import asyncio
import os

import pytest

from domain.roles import Role
from storage.engine import WriteInReader, read_only
from storage.repositories.updates import handled
from storage.uow import UnitOfWork


async def test_a_reader_reads_committed_rows_while_a_writer_holds_its_transaction(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        await uow.members.add(11, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.commit()
    async with UnitOfWork(session_factory) as writer:
        await writer.members.add(12, "Ivan", None, {Role.MULTIPLIER}, clock.now())
        await writer.session.flush()  # the writer holds the write lock, not yet committed
        async with UnitOfWork(session_factory) as uow:
            async def read() -> list[str]:
                async with uow.reading():
                    return [m.name for m in await uow.members.list_all()]
            names = await asyncio.wait_for(read(), 5)  # queued behind the writer: 30 s
        assert await asyncio.wait_for(handled(session_factory, 1), 5) is False
        await writer.commit()
    assert names == ["Olga"]


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="SQLite only: PostgreSQL readers take no lock to skip")
async def test_a_write_in_a_reader_is_refused_and_nothing_is_stored(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(WriteInReader), read_only():
            await uow.members.add(11, "Olga", None, {Role.MULTIPLIER}, clock.now())
            await uow.session.flush()
    async with UnitOfWork(session_factory) as uow:
        assert await uow.members.list_all() == []
