"""A prebuilt select run on SQLite's own cursor, when its transaction's statements run in the
caller's thread anyway (storage.sqlite_connection: a writer once it holds the lock, an
inline reader, the simulator's connection).

SQLAlchemy spends ~150 µs around each statement (its execution context, events, cursor
wrapper and result) where SQLite needs 3-25 µs, and a press, a card or a job makes a dozen
such reads. For a select built once at import (`plain`'s hot reads), what SQLAlchemy works
out anew each time is the same every time: the SQL, where each parameter goes, how each
value is converted in and out. Here that is worked out once per statement, with SQLAlchemy's
own compiler and type processors, and each run is the sqlite3 call and those conversions.

A statement is planned the second time it is seen (held weakly: a select built per call is
seen once and never planned). Anything this does not cover (another database, a connection
not running inline, a select whose parameters SQLAlchemy would compute at run time) returns
None and the caller runs it through SQLAlchemy. tests/storage/test_direct_reads.py holds the
rows of both ways equal for the repositories' reads, so an upgrade of SQLAlchemy (pinned)
that changes what is used here fails there first.
"""

import sqlite3
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None
#: The statement was seen once: planned if seen again.
_SEEN_ONCE = object()
#: The statement is SQLAlchemy's to run (see `_plan`).
_NOT_HERE = object()
_plans: "weakref.WeakKeyDictionary[Select, object]" = weakref.WeakKeyDictionary()
#: Set by the tests (tests/conftest.py): every direct read is also run through SQLAlchemy
#: and must give the same rows (`verify`), so the whole suite checks this module.
VERIFY = False


@dataclass(frozen=True)
class _Plan:
    dialect: type[Dialect]
    compiled: SQLCompiler
    #: Fixed SQL and its arguments: (key of the caller's parameter, processor) or
    #: (None, the value already processed). None: an IN list the caller passes, so the SQL
    #: is expanded per run by SQLAlchemy's compiler.
    sql: str | None
    arguments: tuple[tuple[str | None, Any], ...]
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, processor) to convert
    row: type


def rows(connection: AsyncConnection, query: object,
         params: dict[str, object] | None) -> list[Any] | None:
    """`query`'s rows, read directly; None when SQLAlchemy must run it."""
    database = _inline_sqlite(connection)
    if database is None or not isinstance(query, Select):
        return None
    plan = _plans.get(query)
    if plan is None:
        _plans[query] = _SEEN_ONCE
        return None
    if plan is _SEEN_ONCE:
        plan = _plans[query] = _plan(query, connection.dialect)
    if plan is _NOT_HERE or plan.dialect is not type(connection.dialect):  # type: ignore[union-attr]
        return None
    return _run(plan, database, params or {})  # type: ignore[arg-type]


def verify(query: object, read: list[Any], through: list[Any]) -> None:
    """`read` directly must be what SQLAlchemy read (`VERIFY`): the same values, in the
    same order, under the same names."""
    if [(r._fields, tuple(r)) for r in read] != [(tuple(r._fields), tuple(r)) for r in through]:
        raise AssertionError(f"a direct read differs from SQLAlchemy's: {query}\n"
                             f"direct: {read[:3]}\nSQLAlchemy: {through[:3]}")


def _inline_sqlite(connection: AsyncConnection) -> sqlite3.Connection | None:
    """The sqlite3 connection, if the transaction's statements run in this thread now."""
    sync = connection.sync_connection
    dbapi = getattr(sync, "_dbapi_connection", None) if sync is not None else None
    driver = getattr(dbapi, "driver_connection", None)
    if not getattr(driver, "inline", False):
        return None
    database = getattr(driver, "_connection", None)
    return database if isinstance(database, sqlite3.Connection) else None


def _plan(query: Select, dialect: Dialect) -> object:
    compiled = query.compile(dialect=dialect)
    binds = compiled.bind_names
    keys = [c.keyname for c in compiled._result_columns]
    if (dialect.paramstyle != "qmark" or compiled.escaped_bind_names
            or any(b.callable is not None for b in binds)
            or len(set(keys)) != len(keys) or not all(k.isidentifier() for k in keys)
            or any(k.startswith("_") for k in keys)):
        return _NOT_HERE
    results = tuple((i, p) for i, c in enumerate(compiled._result_columns)
                    if (p := c.type._cached_result_processor(dialect, None)) is not None)
    row = namedtuple("Row", keys)  # type: ignore[misc]  # noqa: PYI024 (fields known at run time)
    if any(b.required and b.expanding for b in binds):
        return _Plan(type(dialect), compiled, None, (), results, row)
    # the caller's parameters as placeholders: the SQL and the order do not depend on them
    given = {b.key: None for b in binds if b.required}
    state = compiled.construct_expanded_state(given)
    processors = _processors(compiled, state.processors)
    caller = {binds[b]: b.key for b in binds if b.required}
    arguments = tuple(
        (caller[name], processors.get(name)) if name in caller
        else (None, _processed(processors.get(name), state.parameters[name]))
        for name in state.positiontup or ())
    return _Plan(type(dialect), compiled, state.statement, arguments, results, row)


def _processors(compiled: SQLCompiler, expanded: Mapping[str, Any]) -> Mapping[str, Any]:
    """Each parameter's conversion: the statement's own, and those of an IN list's items
    (the expanded state lists only the latter)."""
    return {**compiled._bind_processors, **expanded}


def _processed(processor: Processor, value: object) -> object:
    return processor(value) if processor is not None else value


def _run(plan: _Plan, database: sqlite3.Connection, params: dict[str, object]) -> list[Any]:
    if plan.sql is None:
        state = plan.compiled.construct_expanded_state(params)
        sql = state.statement
        processors = _processors(plan.compiled, state.processors)
        arguments: Sequence[object] = [
            _processed(processors.get(n), state.parameters[n]) for n in state.positiontup or ()]
    else:
        sql = plan.sql
        arguments = [_processed(how, params[key]) if key is not None else how
                     for key, how in plan.arguments]
    found = database.execute(sql, arguments).fetchall()
    if plan.results:
        found = [_converted(r, plan.results) for r in found]
    make = plan.row._make
    return [make(r) for r in found]


def _converted(row: tuple, results: tuple[tuple[int, Callable[[Any], Any]], ...]) -> list:
    values = list(row)
    for i, processor in results:
        values[i] = processor(values[i])
    return values
