"""Row <-> core dataclass conversions, kept in one place so repositories stay short."""

from domain.bursts import Batch
from domain.clock import as_utc
from domain.contacts import Contact, ContactDetails, Status
from domain.duplicates import Stored
from domain.identity import IdentityKeys, keys_for
from domain.members import Availability, Gender, Member, NotifyMode, Profile
from domain.offers import DeclineReason, Offer, OfferStatus, Release
from domain.roles import Role
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import (
    CompoundSelect, CursorResult, Executable, Insert, Result, Row, Select, Table, Update, bindparam,
    event, select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from storage.repositories import direct
from storage.models import BatchRow, ContactRow, MemberRow, OfferRow, ProfileRow


#: session.info: the connection of the transaction going on (`connection`).
_CONNECTION = "connection"
#: session.info: a `write` ran directly since the last commit or rollback (the ORM's
#: events that tell the unit of work it wrote never saw it).
WROTE = "wrote_directly"


def columns(entity: type) -> Select:
    """A select of `entity`'s mapped columns, for `plain`. Built once per repository module:
    building a select coerces each of its columns, and a contact has forty."""
    return select(*[getattr(entity, a.key).label(a.key) for a in entity.__mapper__.column_attrs])


async def plain(session: AsyncSession, query: Select | CompoundSelect,
                params: dict[str, object] | None = None) -> list[Row]:
    """`query` (from `columns`) as plain rows: no ORM objects, no identity map, run on the
    session's connection. Jobs and cards read many contacts and offers to convert them at
    once, and the ORM's work per statement and per row was most of that. Pending changes are
    flushed first, as the ORM's own execute would (its autoflush). The hottest reads are
    built once with bound parameters (`params`): SQLAlchemy then neither builds nor keys
    them again, and on SQLite they run on its own cursor (storage.repositories.direct)."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    found = await connection(session)
    read = direct.rows(found, query, params)
    if read is None or direct.VERIFY:
        through = list((await found.execute(query, params)).all())
        if read is None:
            return through
        direct.verify(query, read, through)
    return read


async def write(session: AsyncSession, statement: Executable,
                params: dict[str, object] | None = None) -> int:
    """A prebuilt INSERT, or an UPDATE / DELETE with synchronize_session=False, without
    RETURNING; the rows it touched. On SQLite it runs on its own cursor once its plan is
    known (storage.repositories.direct), else through the session as before. Either way
    the session knows it wrote (`WROTE`: the unit of work records a Telegram update as
    handled with the first commit that changed something)."""
    return await _written(session, statement, params, direct.write, _touched)


async def insert_id(session: AsyncSession, statement: Insert,
                    params: dict[str, object]) -> int:
    """A prebuilt INSERT of one row into a table (a Core insert, not the ORM's); the new
    row's id. As `write`: on SQLite's own cursor once its plan is known (the id is SQLite's
    rowid), else through the session (the id from RETURNING on PostgreSQL)."""
    return await _written(session, statement, params, direct.inserted,
                          lambda result: result.inserted_primary_key[0])  # type: ignore[attr-defined]


async def _written(session: AsyncSession, statement: Executable,
                   params: dict[str, object] | None, run: Callable[[direct.Prepared], int],
                   read: Callable[[Result], int]) -> int:
    """`statement` run directly (`run`) or through the session (`read` of its result)."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    ready = direct.prepare(await connection(session), statement, params or {})
    if ready is None:
        return read(await session.execute(statement, params))
    if direct.VERIFY:
        result, sent = await _through_sqlalchemy(session, statement, params)
        direct.verify_write(ready, sent)
        found = read(result)
    else:
        found = run(ready)
    session.info[WROTE] = True
    return found


#: Statements built once per shape (`shaped`): which table, statuses and columns.
_SHAPES: dict[tuple, Executable] = {}
S = TypeVar("S", bound=Executable)


def shaped(shape: tuple, build: Callable[[], S]) -> S:
    """A statement whose columns or conditions vary by caller, built once per shape with
    bound parameters: building and keying an UPDATE cost more than running it (~400 µs on
    this machine)."""
    found = _SHAPES.get(shape)
    if found is None:
        found = _SHAPES[shape] = build()
    return found


def set_bound(statement: Update, table: Table, fields: Iterable[str], **fixed: object) -> Update:
    """`fields` set from bound values named new_<column> (a bound name may not be a
    column's; `new_values` names the caller's values so)."""
    return statement.values(**fixed, **{
        f: bindparam(f"new_{f}", type_=table.c[f].type) for f in fields
    }).execution_options(synchronize_session=False)


def new_values(fields: dict[str, object]) -> dict[str, object]:
    return {f"new_{f}": value for f, value in fields.items()}


def _touched(result: Result) -> int:
    """The rows a write touched: the ORM's INSERT of one row does not say (it made one)."""
    return result.rowcount if isinstance(result, CursorResult) else 1


async def _through_sqlalchemy(session: AsyncSession, statement: Executable,
                              params: dict[str, object] | None) -> tuple[Result, list]:
    """The write run by SQLAlchemy, and what it sent to SQLite (`direct.VERIFY`)."""
    sent: list[tuple[str, object]] = []
    sync = (await connection(session)).sync_connection
    listener = lambda *a: sent.append((a[2], tuple(a[3])))  # noqa: E731
    event.listen(sync, "before_cursor_execute", listener)
    try:
        result = await session.execute(statement, params)
    finally:
        event.remove(sync, "before_cursor_execute", listener)
    return result, sent


async def connection(session: AsyncSession) -> AsyncConnection:
    """The transaction's connection, asked of the session once per transaction: each ask
    is a trip into SQLAlchemy's greenlet, and a card's drawing makes a dozen reads."""
    found = session.info.get(_CONNECTION)
    if found is None:
        found = session.info[_CONNECTION] = await session.connection()
    return found


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    """The next transaction may get another connection (a savepoint's end is no end)."""
    if transaction.parent is None:
        session.info.pop(_CONNECTION, None)


def _utc(value):  # type: ignore[no-untyped-def]
    return as_utc(value) if value is not None else None


def _split(text: str) -> frozenset[str]:
    return frozenset(p for p in text.split(",") if p)


def profile_from_row(row: ProfileRow | None) -> Profile:
    if row is None:
        return Profile()
    return Profile(
        gender=Gender(row.gender),
        languages=_split(row.languages),
        areas=_split(row.areas),
        capacity=row.capacity,
        availability=Availability(row.availability),
        away_until=_utc(row.away_until),
        travel_km=row.travel_km,
    )


def profile_to_row(member_id: int, profile: Profile) -> dict:
    return {
        "member_id": member_id,
        "gender": profile.gender.value,
        "languages": ",".join(sorted(profile.languages)),
        "areas": ",".join(sorted(profile.areas)),
        "capacity": profile.capacity,
        "availability": profile.availability.value,
        "away_until": profile.away_until,
        "travel_km": profile.travel_km,
    }


def member_from_row(row: MemberRow, roles: set[str], profile: ProfileRow | None) -> Member:
    return Member(
        id=row.id,
        tg_user_id=row.tg_user_id,
        name=row.name,
        username=row.username,
        roles=frozenset(Role(r) for r in roles),
        active=row.active,
        timezone=row.timezone,
        profile=profile_from_row(profile),
        notify_mode=NotifyMode(row.notify_mode),
        unreachable_at=_utc(row.unreachable_at),
        last_digest_at=_utc(row.last_digest_at),
        locale=row.locale,
        telegram_language=row.telegram_language,
    )


def details_to_row(details: ContactDetails) -> dict:
    return {**keys_to_row(details),
        "name": details.name,
        "given_name": details.given_name,
        "family_name": details.family_name,
        "phone": details.phone,
        "tg_username": details.tg_username,
        "tg_user_id": details.tg_user_id,
        "email": details.email,
        "gender": details.gender.value,
        "language": details.language,
        "area": details.area,
        "source": details.source,
        "notes": details.notes,
    }


def contact_from_row(row: ContactRow) -> Contact:
    details = ContactDetails(
        name=row.name,
        given_name=row.given_name,
        family_name=row.family_name,
        phone=row.phone,
        tg_username=row.tg_username,
        tg_user_id=row.tg_user_id,
        email=row.email,
        gender=Gender(row.gender),
        language=row.language,
        area=row.area,
        source=row.source,
        notes=row.notes,
    )
    return Contact(
        id=row.id,
        details=details,
        status=Status(row.status),
        created_at=as_utc(row.created_at),
        waiting_since=as_utc(row.waiting_since),
        created_by=row.created_by,
        assignee_id=row.assignee_id,
        close_reason=row.close_reason,
        dispatch_note=row.dispatch_note,
        stage_changed_at=_utc(row.stage_changed_at),
        nag_count=row.nag_count,
        last_nag_at=_utc(row.last_nag_at),
        escalated_at=_utc(row.escalated_at),
        area_key=row.area_key,
        auto_dispatch=row.auto_dispatch,
        auto_tries=row.auto_tries,
        merged_into=row.merged_into,
        update_requested_at=_utc(row.update_requested_at),
        update_requested_by=row.update_requested_by,
        card_held=row.card_held,
        batch_id=row.batch_id,
        undispatched_alarm_at=_utc(row.undispatched_alarm_at),
        meeting_at=_utc(row.meeting_at),
        meeting_place=row.meeting_place,
        stage_note=row.stage_note,
    )


def keys_to_row(details: ContactDetails) -> dict:
    """The normalised columns duplicate detection looks up, derived from what was typed."""
    keys = keys_for(details.name, details.phone, details.email, details.tg_username,
                    details.tg_user_id, details.area)
    return {
        "email_norm": keys.email,
        "tg_username_norm": keys.tg_username,
        "phone_suffix": keys.phone_suffix,
        "name_key": keys.name_key[:200],
        "name_block_a": keys.name_blocks[0] if keys.name_blocks else None,
        "name_block_b": keys.name_blocks[1] if len(keys.name_blocks) > 1 else None,
        "area_norm": keys.area[:200],
    }


def stored_from_row(row) -> Stored:  # type: ignore[no-untyped-def]
    """A candidate as detection scores it; a merged-away record stands for its keeper. The
    row is unpacked by position (the order of contacts' candidate columns): an import row
    converts up to CANDIDATE_LIMIT of them, and reading a Row's fields by name cost more
    than the rest of the conversion."""
    id_, merged_into, phone, email, username, tg_user_id, suffix, name_key, area = row
    keys = IdentityKeys(phone=phone, email=email, tg_username=username, tg_user_id=tg_user_id,
                        phone_suffix=suffix, name_key=name_key, area=area)
    return Stored(id=merged_into or id_, keys=keys, row=id_)


def stored_with_blocks(row) -> Stored:  # type: ignore[no-untyped-def]
    """stored_from_row() of a row that ends with the two name blocks (an import's read)."""
    id_, merged_into, phone, email, username, tg_user_id, suffix, name_key, area, a, b = row
    keys = IdentityKeys(phone=phone, email=email, tg_username=username, tg_user_id=tg_user_id,
                        phone_suffix=suffix, name_key=name_key, area=area,
                        name_blocks=(a, b) if a and b else (a,) if a else (b,) if b else ())
    return Stored(id=merged_into or id_, keys=keys, row=id_)


def offer_from_row(row: OfferRow) -> Offer:
    return Offer(
        id=row.id,
        contact_id=row.contact_id,
        multiplier_id=row.multiplier_id,
        offered_by=row.offered_by,
        status=OfferStatus(row.status),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        days=row.days,
        answered_at=_utc(row.answered_at),
        decline_reason=DeclineReason(row.decline_reason) if row.decline_reason else None,
        automatic=row.automatic,
        reached_at=_utc(row.reached_at),
        release=Release(row.release) if row.release else None,
        released_at=_utc(row.released_at),
    )


def batch_from_row(row: BatchRow) -> Batch:
    return Batch(row.id, row.channel, as_utc(row.started_at), row.count)
