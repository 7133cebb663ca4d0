"""What admins configure (members with their roles and profiles, the area map, the match
policy, the API keys) kept in memory per process, behind a stamp in the database.

Every card, and every update's member lookup, read the whole team, the areas and the
settings: most of a press's statements, for data that changes a few times a day. The
stamp (the `settings` row STAMP, a random number) is renewed in the same transaction as
any write to those tables, just before it commits (`_renew`, the transaction's last lock:
no lock-order cycle with the rows it wrote). A transaction reads the stamp once, at its
first use of kept data, and serves from memory only what was read under that same stamp;
so a change by another replica or process, or one rolled back, is never served from
memory. A transaction that wrote to those tables itself reads them from the database for
the rest of it (what it sees is not committed yet).

Without the stamp row (a database older than migration 0020 that was never upgraded)
nothing is kept: every read goes to the database, as before.
"""

import weakref
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.models import SettingRow, new_stamp
from storage.repositories.mapping import plain

STAMP = "stamp:team"
_READ = "team_stamp"  # session.info: the stamp this transaction read
_WROTE = "team_wrote"  # session.info: this transaction wrote to the team's tables
#: Built once and run on the connection (not the ORM's execute): read by most transactions.
_STAMP = select(SettingRow.value).where(SettingRow.key == STAMP)

T = TypeVar("T")

#: engine -> what -> (stamp, value)
_kept: weakref.WeakKeyDictionary[object, dict[str, tuple[str, object]]] = (
    weakref.WeakKeyDictionary())


async def kept(session: AsyncSession, what: str, load: Callable[[], Awaitable[T]]) -> T:
    """`load()`'s value as of this transaction, from memory when the stamp allows."""
    if session.info.get(_WROTE):
        return await load()
    stamp = session.info.get(_READ)
    if stamp is None:
        found = await plain(session, _STAMP)
        stamp = found[0][0] if found else None
        if stamp is None:
            return await load()
        session.info[_READ] = stamp
    kept_here = _kept.setdefault(session.bind, {})
    found = kept_here.get(what)
    if found is not None and found[0] == stamp:
        return found[1]  # type: ignore[return-value]
    value = await load()
    kept_here[what] = (stamp, value)
    return value


def wrote(session: AsyncSession) -> None:
    """This transaction changed the team's tables: renew the stamp when it commits."""
    session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _renew(session: Session) -> None:
    """Runs inside the async session's greenlet, so the statement can be emitted here. A
    savepoint's release is no commit: the transaction, and what it knows, go on."""
    if session.in_nested_transaction():
        return
    if session.info.pop(_WROTE, False):
        session.execute(update(SettingRow).where(SettingRow.key == STAMP)
                        .values(value=str(new_stamp())))


@event.listens_for(Session, "after_commit")
def _forget(session: Session) -> None:
    """The next transaction reads the stamp afresh."""
    if session.in_nested_transaction():
        return
    session.info.pop(_READ, None)
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction: object) -> None:
    """A savepoint's rollback leaves the transaction (and what it wrote) going."""
    if getattr(previous_transaction, "parent", None) is None:
        _forget(session)
