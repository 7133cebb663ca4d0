"""aiosqlite's connection, with a writer's statements run at once in the event loop's thread.

aiosqlite hands every call to the connection's own thread and wakes the event loop when it is
done; SQLAlchemy makes three or four such calls a statement (cursor, execute, fetch, close).
A transaction holding the write lock made every other writer of the process wait through
each of those round trips, and each wait let the whole event loop run in between: on a
shared 2-core machine a press's few statements held the lock for about 20 ms.

Once a transaction holds SQLite's write lock nothing can make its statements wait for
another connection, so from then until its end (storage.engine switches `inline` on after
BEGIN IMMEDIATE and off before COMMIT or ROLLBACK) they run in the caller's thread: no round
trip, no other task in between. BEGIN IMMEDIATE itself (which may wait for another process
holding the lock), COMMIT (which may checkpoint the WAL file to disk) and every reader's
statement still go to the connection's thread, so the event loop never sleeps in SQLite.
"""

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

from aiosqlite import Connection


class SplitConnection(Connection):
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
