"""Prebuilt statements run on SQLite's own cursor (storage.repositories.direct): the same
rows as SQLAlchemy's, the same writes, and only where the transaction's statements run in
this thread anyway.

The suite runs with `direct.VERIFY` on (tests/conftest.py): every direct read anywhere in
it is compared with SQLAlchemy's run of the same statement, every direct write with what
SQLAlchemy sends. These tests switch it off to see which way a statement went."""

import os
from collections import namedtuple
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, event, select

from domain.contacts import ContactDetails, Status
from storage.engine import WriteInReader
from storage.models import ContactRow
from storage.repositories import direct
from storage.repositories.contacts import _BY_ID, _BY_IDS
from storage.repositories.mapping import connection, plain
from storage.repositories.updates import UpdateClaim, handled
from storage.uow import UnitOfWork

_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))
#: Which way a statement went is SQLite's question: on PostgreSQL every one goes through
#: SQLAlchemy (`test_on_postgresql_every_statement_goes_through_sqlalchemy`).
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="direct statements are SQLite's")
#: Names, an IN list fixed in the statement, a datetime compared and read back.
_SINCE = select(ContactRow.id, ContactRow.name, ContactRow.created_at).where(
    ContactRow.status.notin_(["closed", "merged"]),
    ContactRow.created_at >= bindparam("since", type_=ContactRow.created_at.type),
).order_by(ContactRow.id)


@pytest.fixture
def through_sqlalchemy(session_factory, monkeypatch):  # type: ignore[no-untyped-def]
    """The statements SQLAlchemy ran (direct reads never reach its events)."""
    monkeypatch.setattr(direct, "VERIFY", False)
    seen: list[str] = []
    event.listen(session_factory.kw["bind"].sync_engine, "before_cursor_execute",
                 lambda *a: seen.append(a[2]))
    return seen


async def _two_contacts(factory) -> list[int]:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        ids = [(await uow.contacts.add(ContactDetails(name=name, language="uk"), None,
                                       _AT + timedelta(hours=i))).id
               for i, name in enumerate(["Maria", "Olha"])]
        await uow.commit()
    return ids


@sqlite_only
async def test_a_writers_second_read_of_a_prebuilt_select_skips_sqlalchemy(
        session_factory, through_sqlalchemy) -> None:  # type: ignore[no-untyped-def]
    maria, olha = await _two_contacts(session_factory)
    through_sqlalchemy.clear()
    async with UnitOfWork(session_factory) as uow:
        first = await plain(uow.session, _SINCE, {"since": _AT})
        selects = len(through_sqlalchemy)
        again = await plain(uow.session, _SINCE, {"since": _AT + timedelta(minutes=30)})
        assert len(through_sqlalchemy) == selects  # the second went straight to SQLite
    assert [(r.id, r.name, r.created_at) for r in first] == [
        (maria, "Maria", _AT.replace(tzinfo=None)), (olha, "Olha", (_AT + timedelta(hours=1)).replace(tzinfo=None))]
    assert [r.id for r in again] == [olha]


@sqlite_only
async def test_an_in_list_the_caller_passes_and_a_whole_contact(
        session_factory, through_sqlalchemy) -> None:  # type: ignore[no-untyped-def]
    maria, olha = await _two_contacts(session_factory)
    async with UnitOfWork(session_factory) as uow:
        await uow.contacts.get(maria)  # seen once: planned from the next read on
        conn = await connection(uow.session)
        by_sqlalchemy = list((await conn.execute(_BY_ID, {"id": olha})).all())
        read = direct.rows(conn, _BY_ID, {"id": olha})
        assert read is not None and [tuple(r) for r in read] == [tuple(r) for r in by_sqlalchemy]
        assert read[0].status == Status.NEW.value and read[0]._fields == by_sqlalchemy[0]._fields
        await plain(uow.session, _BY_IDS, {"ids": [maria]})
        both = await plain(uow.session, _BY_IDS, {"ids": [olha, maria, 999]})
        assert sorted(r.name for r in both) == ["Maria", "Olha"]


@sqlite_only
async def test_a_select_built_per_call_or_a_reader_in_the_drivers_thread_goes_through_sqlalchemy(
        session_factory, through_sqlalchemy) -> None:  # type: ignore[no-untyped-def]
    maria, _ = await _two_contacts(session_factory)
    async with UnitOfWork(session_factory) as uow:
        conn = await connection(uow.session)
        for _ in range(3):  # a new statement each time is never planned
            built = select(ContactRow.name).where(ContactRow.id == maria)
            assert direct.rows(conn, built, None) is None
    async with UnitOfWork(session_factory) as uow, uow.reading():  # in the driver's thread
        conn = await connection(uow.session)
        for _ in range(3):
            assert direct.rows(conn, _BY_ID, {"id": maria}) is None
        assert (await uow.contacts.get(maria)).details.name == "Maria"


@sqlite_only
async def test_a_repeated_write_goes_straight_to_sqlite_is_committed_and_claims_the_update(
        session_factory, through_sqlalchemy) -> None:  # type: ignore[no-untyped-def]
    maria, olha = await _two_contacts(session_factory)
    async with UnitOfWork(session_factory) as uow:  # the statement's first sighting
        assert await uow.contacts.transition(maria, [Status.NEW], Status.ON_HOLD)
        await uow.commit()
    through_sqlalchemy.clear()
    claim = UpdateClaim(41, _AT)
    async with UnitOfWork(session_factory, claim=claim) as uow:
        assert await uow.contacts.transition(olha, [Status.NEW], Status.ON_HOLD)
        assert not await uow.contacts.transition(olha, [Status.NEW], Status.ON_HOLD)
        assert not [s for s in through_sqlalchemy if s.lstrip().startswith("UPDATE contacts")]
        await uow.commit()
    assert claim.held and await handled(session_factory, 41)  # the change and its update, together
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.contacts.get(olha)).status is Status.ON_HOLD


@sqlite_only
async def test_a_write_in_a_reader_still_reaches_sqlalchemys_refusal(
        session_factory) -> None:  # type: ignore[no-untyped-def]
    maria, _ = await _two_contacts(session_factory)
    for _ in range(2):
        async with UnitOfWork(session_factory) as uow:
            await uow.contacts.set_fields(maria, notes="seen")
            await uow.commit()
    async with UnitOfWork(session_factory) as uow, uow.reading(inline=True):
        with pytest.raises(WriteInReader):
            await uow.contacts.set_fields(maria, notes="written by a reader")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the PostgreSQL tier's")
async def test_on_postgresql_every_statement_goes_through_sqlalchemy(
        session_factory) -> None:  # type: ignore[no-untyped-def]
    maria, _ = await _two_contacts(session_factory)
    async with UnitOfWork(session_factory) as uow:
        conn = await connection(uow.session)
        for _ in range(3):
            assert direct.rows(conn, _BY_ID, {"id": maria}) is None
        assert await uow.contacts.transition(maria, [Status.NEW], Status.ON_HOLD)
        assert direct.prepare(conn, _BY_ID, {"id": maria}) is None
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.contacts.get(maria)).status is Status.ON_HOLD


def test_verify_names_a_read_that_differs() -> None:
    row = namedtuple("Row", ["id"])  # noqa: PYI024 (the shape of both kinds of row)
    direct.verify(_BY_ID, [row(1)], [row(1)])
    with pytest.raises(AssertionError, match="differs"):
        direct.verify(_BY_ID, [row(1)], [row(2)])
