"""A writer's statements, its BEGIN and its end run in the event loop's thread; whatever may
wait runs in the connection's own thread (storage.sqlite_connection)."""

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import create_engine, read_only
from storage.sqlite_connection import driver_connection


@pytest.fixture
async def traced(tmp_path: Path):
    """An engine whose connections note, for each statement, whether it ran in this thread
    (the busy timeout set around a BEGIN tried here is left out)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}")
    here = threading.get_ident()
    ran: list[tuple[str, bool]] = []

    @event.listens_for(engine.sync_engine, "connect")
    def trace(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        raw = driver_connection(dbapi_connection)._conn  # type: ignore[union-attr]
        raw.set_trace_callback(
            lambda sql: None if sql.startswith("PRAGMA busy_timeout") else
            ran.append((sql.split()[0].upper(), threading.get_ident() == here)))

    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (x INTEGER)"))
    ran.clear()
    yield engine, ran
    await engine.dispose()


async def test_a_writer_runs_here_from_begin_to_commit(traced) -> None:
    engine, ran = traced
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t VALUES (1)"))
        await connection.execute(text("SELECT x FROM t"))
    assert ran == [("BEGIN", True), ("INSERT", True), ("SELECT", True), ("COMMIT", True)]


async def test_a_rolled_back_writer_ends_here_and_keeps_nothing(traced) -> None:
    engine, ran = traced
    with pytest.raises(RuntimeError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError
    assert ran == [("BEGIN", True), ("INSERT", True), ("ROLLBACK", True)]
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_a_readers_statements_stay_in_the_connections_thread(traced) -> None:
    engine, ran = traced
    with read_only():
        async with engine.begin() as connection:
            await connection.execute(text("SELECT x FROM t"))
    assert [here for _, here in ran] == [False, False, False]


async def test_a_reader_of_a_few_keys_runs_here_from_begin_to_end(traced) -> None:
    engine, ran = traced
    with read_only(inline=True):
        async with engine.begin() as connection:
            await connection.execute(text("SELECT x FROM t"))
    assert ran == [("BEGIN", True), ("SELECT", True), ("COMMIT", True)]


async def test_a_writer_after_an_inline_reader_on_the_same_connection_takes_the_lock(
        traced) -> None:
    """The connection kept between the two: the writer's BEGIN IMMEDIATE is the one tried
    here (a reader's BEGIN takes no lock), and its insert lands."""
    engine, ran = traced
    async with engine.connect() as connection:
        with read_only(inline=True):
            await connection.execute(text("SELECT x FROM t"))
            await connection.commit()
        await connection.execute(text("INSERT INTO t VALUES (3)"))
        await connection.commit()
    assert ran == [("BEGIN", True), ("SELECT", True), ("COMMIT", True),
                   ("BEGIN", True), ("INSERT", True), ("COMMIT", True)]
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT x FROM t"))).scalars().all() == [3]


async def test_waiting_for_another_process_lock_leaves_the_event_loop_free(
        traced, tmp_path: Path) -> None:
    """Another process (here a plain sqlite3 connection) holds the write lock: BEGIN, refused
    here at once, waits for it in the connection's thread while the event loop goes on, then
    the write lands."""
    engine, ran = traced
    other = sqlite3.connect(tmp_path / "inline.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (2)"))

    writing = asyncio.create_task(write())
    started = time.monotonic()
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert time.monotonic() - started < 2  # the loop was not held in SQLite's busy wait
    assert not writing.done()
    other.execute("COMMIT")
    await asyncio.wait_for(writing, 10)
    other.close()
    assert [here for sql, here in ran if sql == "BEGIN"] == [True, False]
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT x FROM t"))).scalars().all() == [2]


async def test_an_engine_in_memory_keeps_aiosqlites_connection() -> None:
    engine: AsyncEngine = create_engine("sqlite+aiosqlite:///:memory:")
    async with engine.begin() as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar() == 1
        raw = (await connection.get_raw_connection()).dbapi_connection
        assert driver_connection(raw) is None
    await engine.dispose()


async def test_a_failed_statement_run_here_raises_sqlalchemys_error_and_rolls_back(traced) -> None:
    """Run on the sqlite3 cursor directly, a writer's failing statement still arrives as the
    error SQLAlchemy's callers expect, and the transaction's earlier writes are undone."""
    engine, _ran = traced
    async with engine.begin() as connection:
        await connection.execute(text("CREATE UNIQUE INDEX t_x ON t (x)"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (1)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_a_begin_that_finds_the_lock_held_too_long_raises_sqlalchemys_error(
        tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}")

    @event.listens_for(engine.sync_engine, "connect")
    def impatient(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        driver_connection(dbapi_connection)._conn.execute("PRAGMA busy_timeout=50")  # type: ignore[union-attr]

    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="locked"):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (1)"))
    other.execute("ROLLBACK")
    other.close()
    async with engine.begin() as connection:  # the connection it used is fine afterwards
        await connection.execute(text("INSERT INTO t VALUES (1)"))
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 1
    await engine.dispose()
