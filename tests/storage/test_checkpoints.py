"""The WAL file is copied into the database file by checkpoints in a worker thread, not by
SQLite inside a writer's COMMIT (storage.checkpoints). The database file grows only when a
checkpoint copies pages into it: that is what these tests watch."""

import asyncio
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text

from storage import checkpoints
from storage.checkpoints import Checkpoints
from storage.engine import create_engine

BLOB = 4000  # about a page a row


def _wal_database(path: Path) -> sqlite3.Connection:
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA wal_autocheckpoint=0")
    database.execute("CREATE TABLE t (x BLOB)")
    return database


async def test_a_checkpoint_runs_after_every_so_many_commits_in_another_thread(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "wal.db"
    writer = _wal_database(path)
    for _ in range(50):
        writer.execute("INSERT INTO t VALUES (?)", (b"x" * BLOB,))
    before = path.stat().st_size
    threads: list[int] = []
    real = Checkpoints._checkpoint
    monkeypatch.setattr(Checkpoints, "_checkpoint",
                        lambda self: (threads.append(threading.get_ident()), real(self)))
    ours = Checkpoints(str(path), busy_seconds=5)
    for _ in range(checkpoints.EVERY - 1):
        ours.committed()
    assert ours._running is None and path.stat().st_size == before  # not yet
    ours.committed()
    await asyncio.wait_for(ours._running, 10)  # type: ignore[arg-type]
    assert path.stat().st_size >= before + 50 * BLOB  # the pages are in the database file
    assert threads and threads[0] != threading.get_ident()
    writer.close()


async def test_the_bots_engine_leaves_checkpoints_to_them_not_to_a_commit(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SQLite's own checkpoint (after 1,000 pages) is off; ours runs after EVERY commits."""
    monkeypatch.setattr(checkpoints, "EVERY", 20)
    path = tmp_path / "engine.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        assert (await connection.execute(text("PRAGMA wal_autocheckpoint"))).scalar() == 0
        await connection.execute(text("CREATE TABLE t (x BLOB)"))
    before = path.stat().st_size
    for _ in range(18):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": b"x" * BLOB})
    await asyncio.sleep(0.2)  # a checkpoint started too early would have run by now
    assert path.stat().st_size == before  # 19 commits with the table's: the next is the 20th
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": b"x" * BLOB})
    for _ in range(200):
        if path.stat().st_size >= before + 19 * BLOB:
            break
        await asyncio.sleep(0.01)
    assert path.stat().st_size >= before + 19 * BLOB
    await engine.dispose()


async def test_a_failed_checkpoint_is_logged_and_the_next_one_may_run(
        tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    ours = Checkpoints(str(tmp_path / "missing" / "x.db"), busy_seconds=1)
    for _ in range(checkpoints.EVERY):
        ours.committed()
    running = ours._running
    assert running is not None
    await asyncio.wait([running])  # type: ignore[list-item]
    await asyncio.sleep(0)  # its done callback
    assert ours._running is None
    assert "WAL checkpoint failed" in caplog.text


def test_a_commit_counted_outside_the_event_loop_starts_nothing(tmp_path: Path) -> None:
    """A connection given back with no loop running (its collection): the next one runs it."""
    ours = Checkpoints(str(tmp_path / "x.db"), busy_seconds=1)
    for _ in range(checkpoints.EVERY + 1):
        ours.committed()
    assert ours._running is None
