"""aiosqlite's connection, with a writer's statements run at once in the event loop's thread.

aiosqlite hands every call to the connection's own thread and wakes the event loop when it is
done; SQLAlchemy makes three or four such calls a statement (cursor, execute, fetch, close).
A transaction holding the write lock made every other writer of the process wait through
each of those round trips, and each wait let the whole event loop run in between: on a
shared 2-core machine a press's few statements held the lock for about 20 ms.

Once a transaction holds SQLite's write lock nothing can make its statements wait for
another connection, so from then until its end (storage.engine switches `inline` on after
BEGIN IMMEDIATE and off when the connection goes back to the pool) they run in the caller's
thread: no round trip, no other task in between. So do its COMMIT and ROLLBACK: with WAL and
synchronous=NORMAL a commit appends to the WAL file and syncs nothing, and the checkpoints
that copy the WAL into the database file run in a worker thread (storage.checkpoints).
BEGIN IMMEDIATE is tried here with a zero busy timeout and goes to the connection's thread
only if another process holds the lock (it may wait there), and a reader's statements go
there too, so the event loop never sleeps in SQLite. The exception are readers marked as a
few lookups by key (`storage.engine.read_only` with `inline`): a WAL reader never waits for
a lock, and ends by letting go of its snapshot.
"""

import sqlite3
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import await_


class SplitConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run in the caller's thread while `inline` is set."""

    inline = False

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.inline and self._running and self._connection is not None:
            return fn(*args, **kwargs)
        return await super()._execute(fn, *args, **kwargs)


async def connect(path: str, timeout: float) -> SplitConnection:
    """SQLAlchemy's `async_creator`: the sqlite3 connection is used from two threads, one at
    a time (each call is awaited before the next), hence check_same_thread=False."""
    connection = SplitConnection(
        partial(sqlite3.connect, path, timeout=timeout, check_same_thread=False),
        iter_chunk_size=64)
    connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own connections
    return await connection


def driver_connection(dbapi_connection: Any) -> SplitConnection | None:
    """The aiosqlite connection inside SQLAlchemy's adapter, if it is one of these."""
    inner = getattr(dbapi_connection, "_connection", None)
    return inner if isinstance(inner, SplitConnection) else None


def inline_sqlite(adapted: Any) -> sqlite3.Connection | None:
    """The sqlite3 connection under SQLAlchemy's adapter (or the pool's proxy of it), if
    its calls run in the caller's thread now."""
    driver = getattr(adapted, "driver_connection", None)
    if not getattr(driver, "inline", False):
        return None
    database = getattr(driver, "_connection", None)
    return database if isinstance(database, sqlite3.Connection) else None


class InlineCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's cursor for a connection whose calls run at once: the sqlite3 cursor used
    directly. Through aiosqlite each statement was three awaited calls (cursor, execute with
    its fetch, close), each a coroutine, a future and two greenlet switches: on this machine
    most of the ~200 µs SQLAlchemy spent around a 10 µs statement."""

    __slots__ = ()
    _awaitable_cursor_close = False

    def _make_new_cursor(self, connection: Any) -> Any:
        return connection._conn.cursor()

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        await_(_yielded())  # SQLAlchemy's async API refuses a statement that never awaited
        cursor = self._cursor
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            self._rows = deque(cursor.fetchall())

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        await_(_yielded())
        self._cursor.executemany(operation, seq_of_parameters)


async def _yielded() -> None:
    """Awaited once a statement: one greenlet switch, not a trip to the event loop."""


class _AdaptedConnection(AsyncAdapt_aiosqlite_connection):
    """Hands out an InlineCursor while the aiosqlite connection runs its calls at once."""

    __slots__ = ()

    def cursor(self, server_side: bool = False) -> Any:
        if not server_side and getattr(self._connection, "inline", False):
            return InlineCursor(self)
        return super().cursor(server_side)

    def commit(self) -> None:
        """Inline, on the sqlite3 connection: through aiosqlite it was a coroutine and a
        trip out of SQLAlchemy's greenlet and back, once per transaction."""
        database = inline_sqlite(self)
        if database is None:
            super().commit()
        else:
            database.commit()

    def rollback(self) -> None:
        database = inline_sqlite(self)
        if database is None:
            super().rollback()
        else:
            database.rollback()


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DB-API, its connections adapted as above (`module=` of the
    engine; connections come from an `async_creator`)."""

    def connect(self, *args: Any, **kwargs: Any) -> _AdaptedConnection:
        creator = kwargs.pop("async_creator_fn")
        return _AdaptedConnection(self, await_(creator(*args, **kwargs)))


def dbapi() -> InlineDBAPI:
    return InlineDBAPI(aiosqlite, sqlite3)
