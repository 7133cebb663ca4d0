"""Engine and session factory. SQLite gets WAL, a busy timeout and write-locking transactions,
queued in order within the process, whose statements run in the event loop's thread once they
hold the lock (storage.sqlite_connection), with the WAL's checkpoints in a worker thread
(storage.checkpoints); transactions known to only read skip the queue."""

import asyncio
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.util import await_
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage import sqlite_connection
from storage.checkpoints import Checkpoints
from storage.malloc_arenas import limit_arenas


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        limit_arenas()
        connect = partial(sqlite_connection.connect, parsed.database, BUSY_SECONDS)
        engine = create_async_engine(url, async_creator=connect, module=sqlite_connection.dbapi(),
                                     pool_reset_on_return=None)  # tune_sqlite's on_reset
        tune_sqlite(engine, Checkpoints(parsed.database, BUSY_SECONDS))
    else:
        engine = create_async_engine(url, connect_args={"timeout": BUSY_SECONDS},
                                     pool_reset_on_return=None)
        tune_sqlite(engine)
    return engine


#: How long a transaction waits for SQLite's write lock (in process and in SQLite itself).
BUSY_SECONDS = 30
#: SQLite's heap for the whole process, in bytes (a limit SQLite keeps to by reusing the
#: least recently used page of any connection's cache instead of growing one). Each pooled
#: connection (up to fifteen) may otherwise fill its own 2 MB page cache: under a burst of
#: presses on 100,000 contacts that was about 9 MB of a peak RSS that kept growing with the run.
#: The pages come back from the operating system's file cache when read again.
SOFT_HEAP_LIMIT = 8_000_000


class WriteQueue:
    """One SQLite transaction at a time per engine in this process, first come first served.

    Every transaction takes SQLite's write lock (BEGIN IMMEDIATE). Left to SQLite, concurrent
    transactions of one process wait in its busy handler, which sleeps and retries (1 ms up
    to 100 ms a try): under a burst of 40 presses the lock sits idle between sleeps and an
    unlucky waiter can starve for seconds. Here they queue on an asyncio lock instead and
    start the moment the previous one ends. Other processes (replicas, the CLI) still meet
    SQLite's lock and busy timeout, so nothing about correctness depends on this queue.
    The lock is taken when a connection begins its transaction and given back when the
    connection returns to the pool (after its COMMIT or ROLLBACK) or is invalidated.
    """

    KEY = "write_queue_lock"

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary())

    def take(self, info: dict) -> None:
        """Called inside SQLAlchemy's greenlet (a connection beginning a transaction)."""
        if self.KEY in info:
            return  # this connection holds it already (a second transaction before checkin)
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        try:
            if not _taken_at_once(lock):
                await_(_acquire(lock))
        except TimeoutError:
            raise OperationalError("BEGIN IMMEDIATE", None,
                                   Exception("database is locked (in-process queue)")) from None
        info[self.KEY] = lock

    def give_back(self, info: dict) -> bool:
        """False if the connection did not hold it (a reader)."""
        lock = info.pop(self.KEY, None)
        if lock is None:
            return False
        lock.release()
        return True


def _taken_at_once(lock: asyncio.Lock) -> bool:
    """A free lock taken without leaving SQLAlchemy's greenlet: its acquire() returns at
    once when nobody waits, and the trip to the event loop (with the timeout's timer) cost
    a tenth of a short transaction. If it would wait after all (a waiter just woken is
    ahead), the attempt is closed, which takes it out of the queue again, and the caller
    waits the usual way."""
    if lock.locked():
        return False
    attempt = lock.acquire()
    try:
        attempt.send(None)
    except StopIteration:
        return True
    attempt.close()  # it queued behind a waiter just woken: leaves the queue as it was
    return False


async def _acquire(lock: asyncio.Lock) -> None:
    """Not `asyncio.wait_for`: on Python 3.11 it returns normally when the lock was got just
    as the task was cancelled, and the cancelled task (an outbox sender being stopped) went
    on as if never told. A bot's stop then waited for it forever."""
    async with asyncio.timeout(BUSY_SECONDS):
        await lock.acquire()


#: Set while the transactions begun are known to only read (`read_only`); "inline": they
#: are a few lookups by key, run in the caller's thread.
_READ_ONLY: ContextVar[bool | str] = ContextVar("read_only", default=False)
#: connection.info: the transaction in hand began as a reader (a write in it is refused).
READER = "reader"


@contextmanager
def read_only(inline: bool = False) -> Iterator[None]:
    """Transactions begun in this block only read. On SQLite they begin deferred and skip the
    write queue: in WAL mode a reader reads its snapshot beside the writer, so a member's
    lookup or a card's drawing neither waits for the presses in line nor holds them up.
    A write in such a transaction is a programming error and is refused before it runs
    (it could meet a snapshot older than the last commit). Elsewhere this changes nothing.

    `inline`: the transaction is a few lookups by key (every update's repeat check and
    member lookup), so BEGIN and its statements run in the caller's thread, like a writer's
    (storage.sqlite_connection): the trips to the connection's thread and back were most of
    their time, ~3 ms of an otherwise idle bot's press. A WAL reader never waits for a lock
    (only for recovery after a crash, which the first connection does), so the event loop
    cannot sleep in it."""
    token = _READ_ONLY.set("inline" if inline else True)
    try:
        yield
    finally:
        _READ_ONLY.reset(token)


class WriteInReader(RuntimeError):
    """A statement that writes ran in a transaction begun under `read_only`."""


_READS = ("SELECT", "WITH", "BEGIN")


def tune_sqlite(engine: AsyncEngine, checkpoints: Checkpoints | None = None) -> None:
    """BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of failing.

    Without it a read-then-write transaction can hit SQLITE_BUSY when another writer commits
    in between, which the busy timeout does not cure. Services keep transactions short.
    Under `read_only` a transaction begins deferred instead, outside the write queue.
    With `checkpoints` the WAL file is checkpointed by them, not inside a COMMIT.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL: a commit is not synced to disk, the checkpoint is. A committed
        # transaction survives the process being killed (kill -9: it is in the WAL file);
        # only a power loss or OS crash can lose the last commits, never corrupt the file.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA soft_heap_limit={SOFT_HEAP_LIMIT}")
        if checkpoints is not None:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    queue = WriteQueue()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        dbapi_connection = connection.connection.dbapi_connection
        reading = _READ_ONLY.get()
        _run_inline(dbapi_connection, reading == "inline")
        if reading:
            connection.info[READER] = reading
            _begin(connection, "BEGIN")
            return
        connection.info.pop(READER, None)
        queue.take(connection.info)
        if not _begun_at_once(dbapi_connection):
            _begin(connection, "BEGIN IMMEDIATE")
        _run_inline(dbapi_connection, True)

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def only_reads(connection, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if connection.info.get(READER) and not statement.lstrip()[:6].upper().startswith(_READS):
            raise WriteInReader(statement)

    @event.listens_for(engine.sync_engine.pool, "reset")
    def on_reset(dbapi_connection, _record, state):  # type: ignore[no-untyped-def]
        """The pool's reset on return (the engine's pool_reset_on_return=None hands it here):
        a ROLLBACK only if a transaction is open. After every COMMIT SQLAlchemy's own reset
        sent a ROLLBACK that had nothing to undo, a trip to the connection's thread each."""
        if not state.asyncio_safe or state.transaction_was_reset:
            return  # as the pool's own reset: it cannot await here, or nothing is open
        database = getattr(dbapi_connection.driver_connection, "_connection", None)
        if database is None or database.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def on_checkin(dbapi_connection, record):  # type: ignore[no-untyped-def]
        _run_inline(dbapi_connection, False)
        record.info.pop(READER, None)
        if queue.give_back(record.info) and checkpoints is not None:
            checkpoints.committed()

    @event.listens_for(engine.sync_engine.pool, "invalidate")
    def on_invalidate(dbapi_connection, record, _exc):  # type: ignore[no-untyped-def]
        _run_inline(dbapi_connection, False)
        queue.give_back(record.info)


def _begin(connection, sql: str) -> None:  # type: ignore[no-untyped-def]
    """On the driver's cursor: SQLAlchemy's execution of a statement (its context, events and
    result) cost ten times SQLite's BEGIN, once per transaction. A connection running inline
    takes it on the sqlite3 connection itself (no cursor, no trip out of the greenlet)."""
    dbapi_connection = connection.connection.dbapi_connection
    database = sqlite_connection.inline_sqlite(dbapi_connection)
    cursor = dbapi_connection.cursor() if database is None else None
    try:
        (database or cursor).execute(sql)
    except sqlite3.Error as error:  # as SQLAlchemy's execute would raise it ("database is locked")
        raise DBAPIError.instance(sql, None, error, sqlite3.Error) from error
    finally:
        if cursor is not None:
            cursor.close()


def _begun_at_once(dbapi_connection: object) -> bool:
    """BEGIN IMMEDIATE in the caller's thread, unless another process holds the write lock.
    This process's writers queue before it (WriteQueue), so only another process can (the
    CLI's import, say): SQLite then says so at once (a zero busy timeout for the attempt) and
    BEGIN goes to the connection's thread, where it may wait. Under a burst of presses the
    trip to that thread and back held the lock for ~3 ms of each transaction's ~5, while the
    worker thread waited for the interpreter's lock."""
    driver = sqlite_connection.driver_connection(dbapi_connection)
    database = getattr(driver, "_connection", None)
    if not isinstance(database, sqlite3.Connection):
        return False
    patience = database.execute("PRAGMA busy_timeout").fetchone()[0]
    database.execute("PRAGMA busy_timeout=0")
    try:
        database.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    finally:
        database.execute(f"PRAGMA busy_timeout={patience}")
    return True


def _run_inline(dbapi_connection: object, inline: bool) -> None:
    """See storage.sqlite_connection: a writer's statements between BEGIN and its end."""
    driver = sqlite_connection.driver_connection(dbapi_connection)
    if driver is not None:
        driver.inline = inline


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
