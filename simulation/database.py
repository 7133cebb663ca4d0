"""The simulator's database: the bot's SQLite schema and statements, without the driver's
worker thread.

aiosqlite runs every statement on a thread of its own and wakes the event loop when it is
done: two thread switches and a loop wake-up per statement. A month runs a few million
statements, and on a shared 2-core machine those switches cost more than the statements. The
simulator has one connection and nothing else runs beside it, so here each statement runs at
once in the caller's thread: the same SQL on the same SQLite, in the same order."""

import asyncio
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

from aiosqlite import Connection
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.engine import tune_sqlite
from storage.sqlite_connection import dbapi


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its worker thread: runs each call when queued."""

    @staticmethod
    def put_nowait(item: tuple[asyncio.Future | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # noqa: BLE001 (handed to the awaiting caller, as aiosqlite does)
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineConnection(Connection):
    """aiosqlite's connection API, each call run in the caller's thread."""

    inline = True  # storage.sqlite_connection: SQLAlchemy uses the sqlite3 cursor directly

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    def __await__(self):  # type: ignore[no-untyped-def]
        return self._connect().__await__()  # no worker thread to start


async def _connect(path: str) -> InlineConnection:
    return await InlineConnection(partial(sqlite3.connect, path))


def one_connection(path: str) -> AsyncEngine:
    """The bot's SQLite engine (its pragmas and write queue) with one inline connection. The
    database is thrown away: no waiting for the disk."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", async_creator=partial(_connect, path),
                                 module=dbapi(),
                                 pool_size=1, max_overflow=0, pool_reset_on_return=None)
    tune_sqlite(engine)

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    return engine
