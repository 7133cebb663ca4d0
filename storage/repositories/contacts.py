"""Contacts. State changes are conditional updates, so concurrent presses cannot both win."""

import time
import weakref
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    bindparam,
    func,
    insert,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.bursts import BURST_WINDOW, Batch
from domain.contact_filters import ContactFilter
from domain.contacts import ASSIGNED_STATUSES, Contact, ContactDetails, Status
from domain.duplicates import CANDIDATE_LIMIT, Stored
from domain.identity import IdentityKeys
from storage import locks
from storage.models import BatchRow, CardRow, ContactRow
from storage.repositories.mapping import (
    batch_from_row,
    columns,
    contact_from_row,
    details_to_row,
    keys_to_row,
    new_values,
    plain,
    set_bound,
    shaped,
    stored_from_row,
    stored_with_blocks,
    write,
)

_CONTACTS = columns(ContactRow)
_BY_ID = _CONTACTS.where(ContactRow.id == bindparam("id"))
_BY_IDS = _CONTACTS.where(ContactRow.id.in_(bindparam("ids", expanding=True)))
#: A new contact as one INSERT ... RETURNING its row: no ORM object for the session to flush.
_ADD = insert(ContactRow).returning(*_CONTACTS.selected_columns)
#: Many at once, returned in the order given. SQLite numbers the rows of one INSERT in the
#: order of its VALUES, so there they are sorted by id: asked to keep the order, SQLAlchemy
#: would send one INSERT per row (SQLite does not promise the order RETURNING yields them in).
_ADD_MANY = {"sqlite": insert(ContactRow).returning(*_CONTACTS.selected_columns)}
_ADD_MANY_ORDERED = insert(ContactRow).returning(*_CONTACTS.selected_columns,
                                                 sort_by_parameter_order=True)
#: Where a contact's team card is (asked by every card drawn and every redraw queued).
_CARD = select(CardRow.chat_id, CardRow.message_id).where(CardRow.contact_id == bindparam("id"))
_MOVE_CARD = (update(CardRow).where(CardRow.contact_id == bindparam("id"))
              .values(chat_id=bindparam("chat"), message_id=bindparam("message"))
              .execution_options(synchronize_session=False))
_PLACE_CARD = insert(CardRow).values(contact_id=bindparam("id"), chat_id=bindparam("chat"),
                                     message_id=bindparam("message"))
#: Where a stage's clock starts (domain.followup_rules.stage_clock, before a meeting).
_STAGE_CLOCK = func.coalesce(ContactRow.stage_changed_at, ContactRow.created_at)
#: Reads jobs make at every tick, built once.
_IN_STAGE_SINCE = _CONTACTS.where(
    ContactRow.status == bindparam("status"),
    _STAGE_CLOCK <= bindparam("before", type_=ContactRow.created_at.type),
).order_by(ContactRow.waiting_since, ContactRow.id)
_UNALARMED = _CONTACTS.where(
    ContactRow.status.in_(bindparam("statuses", expanding=True)),
    or_(ContactRow.undispatched_alarm_at.is_(None),
        ContactRow.undispatched_alarm_at < ContactRow.waiting_since),
).order_by(ContactRow.waiting_since, ContactRow.id)
_AUTO_WAITING = select(ContactRow.id).where(
    ContactRow.auto_dispatch.is_(True), ContactRow.status == Status.NEW.value,
).order_by(ContactRow.waiting_since, ContactRow.id)

#: Columns detection reads: never whole rows, so a check stays a few index probes.
_KEY_COLUMNS = (ContactRow.id, ContactRow.merged_into, ContactRow.phone, ContactRow.email_norm,
                ContactRow.tg_username_norm, ContactRow.tg_user_id, ContactRow.phone_suffix,
                ContactRow.name_key, ContactRow.area_norm)
#: A name-block candidate needs only what its covering index holds (identifiers that match
#: would have found the row through the identifier branch anyway).
_BLOCK_COLUMNS = (ContactRow.id, ContactRow.merged_into, null().label("phone"),
                  null().label("email_norm"), null().label("tg_username_norm"),
                  null().label("tg_user_id"), ContactRow.phone_suffix, ContactRow.name_key,
                  ContactRow.area_norm)
_AT = ContactRow.created_at.type
#: The identifier columns candidates() looks up (`key_<column>`), in IdentityKeys' order.
_IDENTIFIERS = ("phone", "email_norm", "tg_username_norm", "tg_user_id", "phone_suffix")


def _candidates(identifiers: tuple[str, ...], by_block: bool) -> Select | CompoundSelect:
    """ContactRepository.candidates' read for the identifiers it was given, and the name
    blocks (`places` x `blocks`) if any."""
    c = ContactRow
    live = c.status != Status.CLOSED.value
    parts = [select(*_KEY_COLUMNS).where(or_(*(
        getattr(c, name) == bindparam(f"key_{name}", type_=getattr(c, name).type)
        for name in identifiers)), live)] if identifiers else []
    if by_block:
        parts += [select(*_BLOCK_COLUMNS).where(
            c.area_norm.in_(bindparam("places", expanding=True)),
            block.in_(bindparam("blocks", expanding=True)), live)
            for block in (c.name_block_a, c.name_block_b)]
    query = union_all(*parts) if len(parts) > 1 else parts[0]
    return query.limit(CANDIDATE_LIMIT)


def _nag_candidates(statuses: tuple[Status, ...]) -> Select:
    """Held contacts whose stage clock in its status began by `started_<status>`, not
    escalated, not reminded after `nagged_by` (ContactRepository.nag_candidates)."""
    return _CONTACTS.where(
        or_(*(and_(ContactRow.status == s.value,
                   _STAGE_CLOCK <= bindparam(f"started_{s.value}", type_=_AT))
              for s in statuses)),
        ContactRow.escalated_at.is_(None),
        or_(ContactRow.last_nag_at.is_(None),
            ContactRow.last_nag_at <= bindparam("nagged_by", type_=_AT)),
    ).order_by(ContactRow.waiting_since, ContactRow.id)


#: How long a process reuses its list of stored areas (known_areas) before reading it again.
#: Areas this process stores are added at once; another process's new area shows within this.
AREA_LIST_SECONDS = 60.0


class _AreaLists:
    """Per database (engine) and first letter: the distinct stored areas, and when read."""

    def __init__(self) -> None:
        self.lists: weakref.WeakKeyDictionary[object, dict[str, tuple[float, set[str]]]] = \
            weakref.WeakKeyDictionary()

    def get(self, engine: object, prefix: str) -> list[str] | None:
        read_at, areas = self.lists.get(engine, {}).get(prefix, (0.0, set()))
        return sorted(areas) if time.monotonic() - read_at < AREA_LIST_SECONDS else None

    def put(self, engine: object, prefix: str, areas: list[str]) -> None:
        self.lists.setdefault(engine, {})[prefix] = (time.monotonic(), set(areas))

    def saw(self, engine: object, area: str) -> None:
        """An area this process just stored: every cached list it belongs to gets it."""
        for prefix, (_, areas) in self.lists.get(engine, {}).items():
            if area and area.startswith(prefix):
                areas.add(area)

    def clear(self) -> None:
        self.lists.clear()


AREA_LISTS = _AreaLists()


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_identifiers(self, identifiers: list[str]) -> None:
        """PostgreSQL: each identifier is held to the end of the transaction, so a second
        arrival of the same person at the same instant waits, then finds the first one.
        SQLite runs one writer at a time (BEGIN IMMEDIATE) already."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for name in sorted(set(identifiers)):
            await self.session.execute(
                select(func.pg_advisory_xact_lock(locks.IDENTITY, locks.text_key(name))))

    async def add(self, details: ContactDetails, created_by: int | None, now: datetime,
                  **fields: object) -> Contact:
        """`fields`: columns the new row starts with (its area, batch...), so that intake
        does not write them again one UPDATE each."""
        row = (await self.session.execute(_ADD, {
            **details_to_row(details), "status": Status.NEW.value, "created_by": created_by,
            "created_at": now, "waiting_since": now, **fields})).one()
        AREA_LISTS.saw(self._engine(), row.area_norm)
        return contact_from_row(row)

    async def add_many(self, rows: list[tuple[ContactDetails, dict[str, object]]],
                       created_by: int | None, now: datetime) -> list[Contact]:
        """add() for many contacts in one statement, returned in the order given. Each row's
        fields must name the same columns (one INSERT of many VALUES)."""
        if not rows:
            return []
        dialect = self.session.get_bind().dialect.name
        stored = (await self.session.execute(_ADD_MANY.get(dialect, _ADD_MANY_ORDERED), [{
            **details_to_row(details), "status": Status.NEW.value, "created_by": created_by,
            "created_at": now, "waiting_since": now, **fields} for details, fields in rows])).all()
        if dialect in _ADD_MANY:
            stored.sort(key=lambda row: row.id)
        for row in stored:
            AREA_LISTS.saw(self._engine(), row.area_norm)
        return [contact_from_row(row) for row in stored]

    def _engine(self) -> object:
        bind = self.session.bind
        return getattr(bind, "engine", bind)

    async def known_areas(self, prefix: str = "") -> list[str]:
        """Every distinct normalised area on stored contacts that starts with `prefix`; kept
        for AREA_LIST_SECONDS per process (list_areas reads it)."""
        engine = self._engine()
        cached = AREA_LISTS.get(engine, prefix)
        if cached is None:
            cached = await self.list_areas(prefix)
            AREA_LISTS.put(engine, prefix, cached)
        return cached

    async def list_areas(self, prefix: str = "") -> list[str]:
        """Every distinct normalised area on stored contacts that starts with `prefix`, read by
        skipping through the area index: one probe per area, never a scan of the rows."""
        rows = await self.session.execute(text(
            "WITH RECURSIVE seen(area) AS ("
            " SELECT (SELECT min(area_norm) FROM contacts WHERE area_norm >= :low AND area_norm > '')"
            " UNION ALL SELECT (SELECT min(area_norm) FROM contacts WHERE area_norm > seen.area)"
            " FROM seen WHERE seen.area IS NOT NULL AND seen.area < :high)"
            " SELECT area FROM seen WHERE area IS NOT NULL AND area < :high"),
            {"low": prefix, "high": prefix + "\U0010ffff"})
        return [r[0] for r in rows]

    async def candidates(self, keys: IdentityKeys, areas: list[str] | None = None) -> list[Stored]:
        """Stored contacts sharing any identifier, the phone ending, or area and name block.

        `areas`: the stored areas to look up name blocks in (the typed one and those it may
        mean, see domain.duplicates.areas_like); the typed area alone when not given.

        Each branch of the OR is an indexed equality, so SQLite and PostgreSQL answer it with
        index probes (SQLite's OR-by-union, PostgreSQL's bitmap OR), never a scan. Closed
        contacts are left out: a seeker closed as spam or unreachable who comes back is new.
        """
        values = {f"key_{name}": value for name, value in zip(_IDENTIFIERS, (
            keys.phone, keys.email, keys.tg_username, keys.tg_user_id, keys.phone_suffix),
            strict=True) if value}
        places = areas if areas is not None else [keys.area] if keys.area else []
        by_block = bool(places and keys.name_blocks)
        if not values and not by_block:
            return []
        shape = tuple(name for name in _IDENTIFIERS if f"key_{name}" in values)
        query = shaped(("candidates", by_block, *shape), lambda: _candidates(shape, by_block))
        if by_block:
            values |= {"places": places, "blocks": list(keys.name_blocks)}
        rows = await plain(self.session, query, values)
        return [stored_from_row(r) for r in rows]

    async def candidates_of_many(self, keys: list[IdentityKeys], blocks: list[tuple[str, str]],
                                 limit: int) -> list[Stored]:
        """Every stored contact that shares an identifier or phone ending with one of `keys`
        or an (area, name block) of `blocks`, once each and with its name blocks, at most
        `limit` of them: an import reads a chunk's candidates at once and narrows them per
        row (domain.chunk_matching). Closed contacts are left out, as in candidates()."""
        c = ContactRow
        branches = [column.in_(sorted(values)) for column, values in (
            (c.phone, {k.phone for k in keys if k.phone}),
            (c.email_norm, {k.email for k in keys if k.email}),
            (c.tg_username_norm, {k.tg_username for k in keys if k.tg_username}),
            (c.tg_user_id, {k.tg_user_id for k in keys if k.tg_user_id}),
            (c.phone_suffix, {k.phone_suffix for k in keys if k.phone_suffix})) if values]
        by_area: dict[str, set[str]] = {}
        for area, block in blocks:
            by_area.setdefault(area, set()).add(block)
        # per area, not (area, block) IN (...): SQLite scans the table for a row-value IN
        branches += [and_(c.area_norm == area, column.in_(sorted(names)))
                     for area, names in sorted(by_area.items())
                     for column in (c.name_block_a, c.name_block_b)]
        if not branches:
            return []
        rows = await plain(self.session, select(*_KEY_COLUMNS, c.name_block_a, c.name_block_b)
                           .where(or_(*branches), c.status != Status.CLOSED.value).limit(limit))
        return [stored_with_blocks(r) for r in rows]

    async def stored_rows(self, contact_ids: list[int]) -> list[Stored]:
        """These live contacts as candidates_of_many() reads them (one read again after a
        change)."""
        c = ContactRow
        rows = await plain(self.session, select(*_KEY_COLUMNS, c.name_block_a, c.name_block_b)
                           .where(c.id.in_(contact_ids), c.status != Status.CLOSED.value))
        return [stored_with_blocks(r) for r in rows]

    async def rekey(self, after_id: int, limit: int) -> int | None:
        """Recompute the normalised key columns of the next `limit` contacts after `after_id`
        (those whose keys changed are rewritten); the last id seen, or None when none is left."""
        c = ContactRow
        rows = (await self.session.execute(
            select(c.id, c.name, c.phone, c.email, c.tg_username, c.tg_user_id, c.area,
                   c.name_key, c.name_block_a, c.name_block_b, c.area_norm)
            .where(c.id > after_id).order_by(c.id).limit(limit))).all()
        for row in rows:
            keys = keys_to_row(ContactDetails(
                name=row.name, phone=row.phone, email=row.email, tg_username=row.tg_username,
                tg_user_id=row.tg_user_id, area=row.area))
            if (keys["name_key"], keys["name_block_a"], keys["name_block_b"], keys["area_norm"]) \
                    != (row.name_key, row.name_block_a, row.name_block_b, row.area_norm):
                await self.set_fields(row.id, **keys)
        return rows[-1].id if rows else None

    async def unchecked(self, limit: int) -> list[Contact]:
        """Contacts no duplicate check has seen yet (backfilled rows, or a failed intake)."""
        rows = await plain(self.session,
            _CONTACTS.where(ContactRow.dup_checked_at.is_(None))
            .order_by(ContactRow.id).limit(limit)
        )
        return [contact_from_row(r) for r in rows]

    async def set_details(self, contact_id: int, details: ContactDetails, **fields: object) -> None:
        """Rewrite what was typed, and with it the normalised keys detection reads. The
        periodic duplicate check looks at the edited contact again (dup_checked_at cleared)."""
        values = details_to_row(details)
        await self.set_fields(contact_id, **{"dup_checked_at": None, **values, **fields})
        AREA_LISTS.saw(self._engine(), values["area_norm"])

    async def get(self, contact_id: int) -> Contact | None:
        rows = await plain(self.session, _BY_ID, {"id": contact_id})
        return contact_from_row(rows[0]) if rows else None

    async def get_many(self, contact_ids: Iterable[int]) -> dict[int, Contact]:
        ids = list(contact_ids)
        rows = await plain(self.session, _BY_IDS, {"ids": ids}) if ids else []
        return {r.id: contact_from_row(r) for r in rows}

    async def transition(
        self, contact_id: int, expected: Iterable[Status], to: Status, **fields: object
    ) -> bool:
        """Move the contact only if it is still in an expected status; False if someone was first."""
        expected_values = tuple(s.value for s in expected)
        statement = shaped(("contact", expected_values, *sorted(fields)), lambda: set_bound(
            update(ContactRow).where(ContactRow.id == bindparam("contact"),
                                     ContactRow.status.in_(expected_values)),
            ContactRow.__table__, fields, status=bindparam("to")))
        return await write(self.session, statement,
                           {"contact": contact_id, "to": to.value, **new_values(fields)}) == 1

    async def update_held(self, contact_id: int, holder_id: int, **fields: object) -> bool:
        """Write only while `holder_id` holds the contact (assigned to them, in an assigned
        status): a press on a stale card, or a second dispatcher, finds it moved on."""
        statement = shaped(("contact held", *sorted(fields)), lambda: set_bound(
            update(ContactRow).where(
                ContactRow.id == bindparam("contact"), ContactRow.assignee_id == bindparam("holder"),
                ContactRow.status.in_([s.value for s in ASSIGNED_STATUSES])),
            ContactRow.__table__, fields))
        return await write(self.session, statement,
                           {"contact": contact_id, "holder": holder_id, **new_values(fields)}) == 1

    async def set_fields(self, contact_id: int, **fields: object) -> None:
        statement = shaped(("contact set", *sorted(fields)), lambda: set_bound(
            update(ContactRow).where(ContactRow.id == bindparam("contact")),
            ContactRow.__table__, fields))
        await write(self.session, statement, {"contact": contact_id, **new_values(fields)})

    async def update_if_unchanged(self, contact: Contact, **fields: object) -> bool:
        """Write only if the contact is as the caller read it (status, assignee, nags):
        a job working from a list read earlier must not act on what moved since."""
        result = await self.session.execute(
            update(ContactRow)
            .where(ContactRow.id == contact.id, ContactRow.status == contact.status.value,
                   ContactRow.nag_count == contact.nag_count,
                   ContactRow.assignee_id == contact.assignee_id,
                   ContactRow.escalated_at.is_(None))
            .values(**fields)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def lock(self, contact_ids: list[int]) -> None:
        """Hold these rows to the end of the transaction, in id order (no deadlock between
        two lockers). PostgreSQL; SQLite's write lock already serialises writers."""
        await self.session.execute(
            select(ContactRow.id).where(ContactRow.id.in_(contact_ids))
            .order_by(ContactRow.id).with_for_update())

    async def auto_move(self, contact: Contact, **fields: object) -> bool:
        """Auto-dispatch's write: only while it still owns the contact as it read it (waiting,
        auto-dispatch on, the same try), so a dispatcher's Hold or a second run wins."""
        result = await self.session.execute(
            update(ContactRow)
            .where(ContactRow.id == contact.id, ContactRow.status == Status.NEW.value,
                   ContactRow.auto_dispatch.is_(True),
                   ContactRow.auto_tries == contact.auto_tries)
            .values(**fields)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def with_status(self, statuses: Iterable[Status]) -> list[Contact]:
        rows = await plain(self.session,
            _CONTACTS
            .where(ContactRow.status.in_([s.value for s in statuses]))
            .order_by(ContactRow.waiting_since, ContactRow.id)
        )
        return [contact_from_row(r) for r in rows]

    async def nag_candidates(self, started_by: Mapping[Status, datetime],
                             nagged_by: datetime) -> list[Contact]:
        if not started_by:
            return []
        statuses = tuple(sorted(started_by))
        query = shaped(("nag candidates", *statuses), lambda: _nag_candidates(statuses))
        rows = await plain(self.session, query, {
            "nagged_by": nagged_by, **{f"started_{s.value}": started_by[s] for s in statuses}})
        return [contact_from_row(r) for r in rows]

    async def in_stage_since(self, status: Status, before: datetime) -> list[Contact]:
        """Contacts in `status` whose stage began at or before `before` (a job's due ones:
        the others in that status would be read only to be passed over)."""
        rows = await plain(self.session, _IN_STAGE_SINCE, {"status": status.value, "before": before})
        return [contact_from_row(r) for r in rows]

    async def unalarmed(self, statuses: Iterable[Status]) -> list[Contact]:
        """with_status(), less those the undispatched alarm raised in their current wait
        (Contact.alarmed_this_wait; its job reads these every run, the raised ones stay
        waiting and would be read for nothing)."""
        rows = await plain(self.session, _UNALARMED, {"statuses": [s.value for s in statuses]})
        return [contact_from_row(r) for r in rows]

    async def assigned_to(self, member_id: int | Iterable[int],
                          statuses: Iterable[Status]) -> list[Contact]:
        ids = [member_id] if isinstance(member_id, int) else list(member_id)
        rows = await plain(self.session,
            _CONTACTS
            .where(ContactRow.assignee_id.in_(ids))
            .where(ContactRow.status.in_([s.value for s in statuses]))
            .order_by(ContactRow.stage_changed_at, ContactRow.id)
        )
        return [contact_from_row(r) for r in rows]

    async def card(self, contact_id: int) -> tuple[int, int] | None:
        rows = await plain(self.session, _CARD, {"id": contact_id})
        return (rows[0].chat_id, rows[0].message_id) if rows else None

    async def save_card(self, contact_id: int, chat_id: int, message_id: int) -> None:
        where = {"id": contact_id, "chat": chat_id, "message": message_id}
        if not await write(self.session, _MOVE_CARD, where):
            await write(self.session, _PLACE_CARD, where)

    async def unmapped(self, statuses: Iterable[Status]) -> list[Contact]:
        """Contacts whose typed place is not (yet) a known area."""
        rows = await plain(self.session,
            _CONTACTS
            .where(ContactRow.area_key.is_(None), ContactRow.area != "")
            .where(ContactRow.status.in_([s.value for s in statuses]))
        )
        return [contact_from_row(r) for r in rows]

    async def for_supply(self, waiting: Iterable[Status], since: datetime) -> list[Contact]:
        """Waiting now, or new since the given time."""
        rows = await plain(self.session,
            _CONTACTS.where(or_(ContactRow.status.in_([s.value for s in waiting]),
                                ContactRow.created_at >= since))
        )
        return [contact_from_row(r) for r in rows]

    async def auto_waiting(self) -> list[int]:
        """Contacts auto-dispatch still owns and that wait for their next offer."""
        return [contact_id for (contact_id,) in await plain(self.session, _AUTO_WAITING)]

    async def listing(self, flt: ContactFilter, offset: int, limit: int
                      ) -> tuple[list[Contact], int]:
        """One page of the contacts the filter selects (newest first; a batch in the order it
        arrived) and how many there are in all."""
        c = ContactRow
        where = [c.status.in_([s.value for s in flt.statuses])]
        if flt.multiplier_id is not None:
            where.append(c.assignee_id == flt.multiplier_id)
        if flt.area_key is not None:
            where.append(c.area_key == flt.area_key)
        if flt.overdue:
            where += [c.status.in_([s.value for s in ASSIGNED_STATUSES]),
                      or_(c.nag_count > 0, c.escalated_at.is_not(None))]
        if flt.source:
            where.append(func.lower(c.source).contains(flt.source, autoescape=True))
        if flt.batch_id is not None:
            where.append(c.batch_id == flt.batch_id)
        total = await self.session.scalar(select(func.count()).select_from(c).where(*where))
        order = c.id if flt.batch_id is not None else c.id.desc()
        rows = await plain(self.session,
            _CONTACTS.where(*where).order_by(order).offset(offset).limit(limit))
        return [contact_from_row(r) for r in rows], total or 0

    async def new_batch(self, channel: str, now: datetime) -> Batch:
        row = BatchRow(channel=channel[:200], started_at=now, count=0)
        self.session.add(row)
        await self.session.flush()
        return batch_from_row(row)

    async def open_batch(self, channel: str, now: datetime) -> Batch | None:
        """The channel's batch still within its window at `now`, if any."""
        row = await self.session.scalar(
            select(BatchRow).where(BatchRow.channel == channel[:200],
                                   BatchRow.started_at > now - BURST_WINDOW)
            .order_by(BatchRow.started_at.desc(), BatchRow.id.desc()).limit(1))
        return batch_from_row(row) if row else None

    async def join_batch(self, contact_id: int, batch_id: int) -> int:
        """Count the contact into the batch; the batch's count with it (one atomic update, so
        concurrent arrivals are all counted)."""
        await self.set_fields(contact_id, batch_id=batch_id)
        return await self.count_into(batch_id)

    async def count_into(self, batch_id: int, n: int = 1) -> int:
        """`n` more contacts in the batch (stored with its batch_id already); the new count."""
        count = await self.session.scalar(
            update(BatchRow).where(BatchRow.id == batch_id).values(count=BatchRow.count + n)
            .returning(BatchRow.count).execution_options(synchronize_session=False))
        return int(count or 0)

    async def batch(self, batch_id: int) -> Batch | None:
        row = await self.session.get(BatchRow, batch_id, populate_existing=True)
        return batch_from_row(row) if row else None

