"""A statement built once (a select, an INSERT, an UPDATE or DELETE) run on SQLite's own
cursor, when its transaction's statements run in the caller's thread anyway
(storage.sqlite_connection: a writer once it holds the lock, an inline reader, the
simulator's connection).

SQLAlchemy spends ~150 µs around each statement (its execution context, events, cursor
wrapper and result) where SQLite needs 3-25 µs, and a press, a card or a job makes a dozen.
For a statement built once with bound parameters (`mapping.plain`, `mapping.write`), what
SQLAlchemy works out anew each time is the same every time: the SQL, where each parameter
goes, how each value is converted in and out. Here that is worked out once per statement,
with SQLAlchemy's own compiler and type processors, and each run is the sqlite3 call and
those conversions.

A statement is planned the second time it is seen (held weakly: one built per call is seen
once and never planned). Anything this does not cover (another database, a connection not
running inline, a write in a reader, a statement whose parameters SQLAlchemy would compute
at run time) gets None and goes through SQLAlchemy. The test suite runs with `VERIFY` on,
so an upgrade of SQLAlchemy (pinned) that changes what is used here fails there first.
"""

import sqlite3
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, Delete, Insert, Select, Update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler

from storage.engine import READER
from storage.sqlite_connection import inline_sqlite

#: Statements that read: their rows come back (a UNION too).
_READS = (Select, CompoundSelect)

Processor = Callable[[Any], Any] | None
#: The statement is SQLAlchemy's to run (see `_plan`).
_NOT_HERE = object()
#: statement -> {columns an INSERT was given (None for others): its plan}; an empty dict:
#: the statement was seen once.
_plans: "weakref.WeakKeyDictionary[object, dict[tuple[str, ...] | None, object]]" = (
    weakref.WeakKeyDictionary())
#: Set by the tests (tests/conftest.py): every direct read is also run through SQLAlchemy
#: and must give the same rows, every direct write must be the SQL and arguments SQLAlchemy
#: sends (`verify`, `verify_write`), so the whole suite checks this module.
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
    row: type | None


@dataclass(frozen=True)
class Prepared:
    """A statement ready for SQLite: the connection, the SQL, its arguments."""

    database: sqlite3.Connection
    plan: _Plan
    sql: str
    arguments: list[object]


def rows(connection: AsyncConnection, query: object,
         params: Mapping[str, object] | None) -> list[Any] | None:
    """`query`'s rows, read directly; None when SQLAlchemy must run it."""
    if not isinstance(query, _READS):
        return None
    ready = prepare(connection, query, params or {})
    if ready is None:
        return None
    found = ready.database.execute(ready.sql, ready.arguments).fetchall()
    plan = ready.plan
    if plan.results:
        found = [_converted(r, plan.results) for r in found]
    make = plan.row._make  # type: ignore[union-attr]
    return [make(r) for r in found]


def write(ready: Prepared) -> int:
    """Run a prepared INSERT / UPDATE / DELETE; the rows it touched."""
    return ready.database.execute(ready.sql, ready.arguments).rowcount


def inserted(ready: Prepared) -> int:
    """Run a prepared INSERT of one row; the row's id (SQLite's rowid)."""
    return ready.database.execute(ready.sql, ready.arguments).lastrowid  # type: ignore[return-value]


def prepare(connection: AsyncConnection, statement: object,
            params: Mapping[str, object]) -> Prepared | None:
    """The statement as SQLite takes it, or None when SQLAlchemy must run it: another
    database, a connection not running inline, a statement seen once so far, a write in a
    reader, or a statement this does not cover (`_plan`)."""
    database = _inline_sqlite(connection)
    if database is None:
        return None
    entry = _plans.get(statement)
    if entry is None:
        _plans[statement] = {}
        return None
    if isinstance(statement, Insert):
        params = _orm_insert_values(statement, params)
        columns: tuple[str, ...] | None = tuple(sorted(params))
    else:
        columns = None
    plan = entry.get(columns)
    if plan is None:
        plan = entry[columns] = _plan(statement, connection.dialect, columns)
    if plan is _NOT_HERE or plan.dialect is not type(connection.dialect):  # type: ignore[union-attr]
        return None
    if not isinstance(statement, _READS) and connection.sync_connection.info.get(READER):
        return None
    return Prepared(database, plan, *_bound(plan, params))  # type: ignore[arg-type]


def _orm_insert_values(statement: Insert, params: Mapping[str, object]) -> Mapping[str, object]:
    """An INSERT of a mapped class run by the ORM leaves out the columns given None (their
    defaults apply), as its bulk insert does."""
    if statement._propagate_attrs.get("compile_state_plugin") == "orm":
        return {k: v for k, v in params.items() if v is not None}
    return params


def verify(query: object, read: list[Any], through: list[Any]) -> None:
    """`read` directly must be what SQLAlchemy read (`VERIFY`): the same values, in the
    same order, under the same names."""
    if [(r._fields, tuple(r)) for r in read] != [(tuple(r._fields), tuple(r)) for r in through]:
        raise AssertionError(f"a direct read differs from SQLAlchemy's: {query}\n"
                             f"direct: {read[:3]}\nSQLAlchemy: {through[:3]}")


def verify_write(ready: Prepared, sent: list[tuple[str, object]]) -> None:
    """A write prepared here must be the one statement SQLAlchemy sent (`VERIFY`)."""
    if sent != [(ready.sql, tuple(ready.arguments))]:
        raise AssertionError(f"a direct write differs from SQLAlchemy's:\n"
                             f"direct: {ready.sql} {ready.arguments}\nSQLAlchemy: {sent}")


def _inline_sqlite(connection: AsyncConnection) -> sqlite3.Connection | None:
    """The sqlite3 connection, if the transaction's statements run in this thread now."""
    sync = connection.sync_connection
    return inline_sqlite(getattr(sync, "_dbapi_connection", None) if sync is not None else None)


def _plan(statement: object, dialect: Dialect, columns: tuple[str, ...] | None) -> object:
    if not _covered(statement) or dialect.paramstyle != "qmark":
        return _NOT_HERE
    try:
        compiled = statement.compile(dialect=dialect, column_keys=columns)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 (e.g. a column it does not have: SQLAlchemy says so)
        return _NOT_HERE
    binds = compiled.bind_names
    if (compiled.escaped_bind_names or compiled.insert_prefetch or compiled.update_prefetch
            or any(b.callable is not None for b in binds)):
        return _NOT_HERE
    results, row = _results(compiled, dialect) if isinstance(statement, _READS) else ((), None)
    if isinstance(statement, _READS) and row is None:
        return _NOT_HERE
    if any(b.required and b.expanding for b in binds):
        return _Plan(type(dialect), compiled, None, (), results, row)
    # the caller's parameters as placeholders: the SQL and the order do not depend on them
    required = {b.key for b in binds if b.required} | set(columns or ())
    state = compiled.construct_expanded_state(dict.fromkeys(required))
    processors = _processors(compiled, state.processors)
    caller = {name: b.key for b, name in binds.items() if b.required}
    caller.update((c, c) for c in columns or ())
    arguments = tuple(
        (caller[name], processors.get(name)) if name in caller
        else (None, _processed(processors.get(name), state.parameters[name]))
        for name in state.positiontup or ())
    return _Plan(type(dialect), compiled, state.statement, arguments, results, row)


def _covered(statement: object) -> bool:
    """Selects; INSERTs; UPDATEs and DELETEs that leave the session's objects alone
    (synchronize_session=False: the ORM would otherwise bring them in line). None returning
    rows but the selects."""
    if isinstance(statement, _READS):
        return True
    if not isinstance(statement, Insert | Update | Delete) or statement._returning:
        return False
    return isinstance(statement, Insert) or (
        statement.get_execution_options().get("synchronize_session") is False)


def _results(compiled: SQLCompiler, dialect: Dialect) -> tuple[tuple, type | None]:
    keys = [c.keyname for c in compiled._result_columns]
    if (len(set(keys)) != len(keys) or not all(k.isidentifier() for k in keys)
            or any(k.startswith("_") for k in keys)):
        return (), None
    results = tuple((i, p) for i, c in enumerate(compiled._result_columns)
                    if (p := c.type._cached_result_processor(dialect, None)) is not None)
    return results, namedtuple("Row", keys)  # type: ignore[misc]  # noqa: PYI024


def _bound(plan: _Plan, params: Mapping[str, object]) -> tuple[str, list[object]]:
    if plan.sql is None:
        state = plan.compiled.construct_expanded_state(params)
        processors = _processors(plan.compiled, state.processors)
        return state.statement, [_processed(processors.get(n), state.parameters[n])
                                 for n in state.positiontup or ()]
    return plan.sql, [_processed(how, params[key]) if key is not None else how
                      for key, how in plan.arguments]


def _processors(compiled: SQLCompiler, expanded: Mapping[str, Any]) -> Mapping[str, Any]:
    """Each parameter's conversion: the statement's own, and those of an IN list's items
    (the expanded state lists only the latter)."""
    return {**compiled._bind_processors, **expanded}


def _processed(processor: Processor, value: object) -> object:
    return processor(value) if processor is not None else value


def _converted(row: tuple, results: tuple[tuple[int, Callable[[Any], Any]], ...]) -> list:
    values = list(row)
    for i, processor in results:
        values[i] = processor(values[i])
    return values
