"""Rows of data admitted in one transaction (an import's chunk, a group of POSTs): in a burst,
the new contacts among them together: one read of the rows' candidates, one INSERT of the
contacts, one of their audit rows and one of their possible duplicates, where one-by-one
intake (services.intake.admit) spends about six statements on each row.

Only for rows that come out as admit() would store them, one after the other: which ones is
domain.chunk_matching's call (it stops at an exact match or a row with too many candidates;
the importer hands that row to admit() and goes on). Only in a burst, whose cards are held
from the first row and whose rows ping nobody: a new contact there queues no card.
"""

import logging
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from domain.chunk_matching import PROVISIONAL, ChunkMatcher, NewRow, chunk_blocks
from domain.contacts import Contact, ContactDetails
from domain.duplicates import CANDIDATE_LIMIT, Match, Stored, new_suspects
from domain.effects import Effect
from domain.errors import DomainError
from domain.identity import IdentityKeys, identifiers, keys_for
from domain.intake import clean_details
from domain.members import Member
from domain.roles import INTAKE_ROLES
from services import card_queue, intake
from services.access import require
from services.card_queue import Arrival, show_many
from services.intake import ComposeTouch, IntakeResult, dispatch_fields
from services.notify import Quiet
from services.ports import UnitOfWork

log = logging.getLogger(__name__)

#: Stored candidates one chunk's read returns at most; beyond, its rows go one by one.
CHUNK_READ_LIMIT = 2000


@dataclass(frozen=True)
class Prepared:
    """A row's details cleaned as intake cleans them, and their keys: computed once for a
    chunk, which may be read again after each row intake had to take one by one."""

    details: ContactDetails
    keys: IdentityKeys


@dataclass(frozen=True)
class Admissible:
    """A row to store as a new contact."""

    details: ContactDetails
    row: NewRow


def prepare(rows: list[ContactDetails]) -> list[Prepared]:
    """Each row cleaned and keyed, up to the first that admit() refuses (no way to reach)."""
    out = []
    for details in map(clean_details, rows):
        if not (details.phone or details.tg_username or details.email or details.tg_user_id):
            break
        out.append(Prepared(details, keys_for(details.name, details.phone, details.email,
                                              details.tg_username, details.tg_user_id,
                                              details.area)))
    return out


class RowFailed(Exception):
    """The database failed at the `index`-th row; the caller's transaction must roll back."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


async def admit_rows(uow: UnitOfWork, actor: Member | None, rows: list[ContactDetails], now: datetime,
                     arrival: Arrival | None, *, quiet: Quiet, compose_touch: ComposeTouch,
                     ping: bool) -> list[IntakeResult | DomainError]:
    """Each row as admit() would store it, one after the other, in the caller's transaction,
    each in a savepoint (a refused row, its DomainError in the list, undoes no other). In a
    held burst the leading rows that become new contacts are admitted together; if that
    fails, one by one. Raises RowFailed if the database fails. Not committed."""
    out: list[IntakeResult | DomainError] = []
    together = Together(prepare(rows)) if arrival is not None and arrival.hold else None
    while len(out) < len(rows):
        results = await _together(uow, actor, together, len(out), now, arrival) \
            if together and arrival else None
        if results is None:
            together = None
        elif results:
            out += results
            continue
        index, result = len(out), None
        try:
            async with uow.savepoint():
                result = await intake.admit(uow, actor, rows[index], now, ping=ping, quiet=quiet,
                                            compose_touch=compose_touch, arrival=arrival)
            out.append(result)
        except DomainError as exc:
            out.append(exc)
        except Exception as exc:
            raise RowFailed(index) from exc
        together = await _after_one(uow, together, index, result)
    return out


async def _together(uow: UnitOfWork, actor: Member | None, together: "Together", start: int,
                    now: datetime, arrival: Arrival) -> list[IntakeResult] | None:
    """The leading rows from `start` on admitted together, in a savepoint; none if that row
    needs intake one by one; None if it failed (the other rows go one by one)."""
    try:
        async with uow.savepoint():
            new = await together.leading(uow, actor, start)
            return await together.admit(uow, actor, new, now, arrival) if new and actor else []
    except Exception:
        log.exception("rows not admitted together; one by one instead")
        return None


async def _after_one(uow: UnitOfWork, together: "Together | None", index: int,
                     result: IntakeResult | None) -> "Together | None":
    """The matcher told what intake did with a row; if that fails, one by one from here."""
    if together is None:
        return None
    try:
        await together.after_one(uow, index, result)
        return together
    except Exception:
        log.exception("rows not admitted together; one by one instead")
        return None


class Together:
    """A chunk's rows admitted together, pass after pass, around the rows intake takes one by
    one: its candidates are read once (domain.chunk_matching.ChunkMatcher keeps them)."""

    def __init__(self, rows: list[Prepared]) -> None:
        self.rows = rows
        self.matcher: ChunkMatcher | None = None
        self.read = False

    async def leading(self, uow: UnitOfWork, actor: Member | None,
                      start: int) -> list[Admissible]:
        """The leading rows from `start` on that become new contacts, matched, not stored.
        Empty when that row needs one-by-one intake (or the actor may not add contacts:
        admit() says so), and always when the chunk has more candidates than one read
        takes."""
        rows = self.rows[start:]
        if not rows or actor is None or not actor.has(*INTAKE_ROLES):
            return []
        if not self.read:
            self.matcher, self.read = await self._read(uow), True
        if self.matcher is None:
            return []
        new = self.matcher.leading([r.keys for r in rows])
        return [Admissible(r.details, row) for r, row in zip(rows, new)]

    async def _read(self, uow: UnitOfWork) -> ChunkMatcher | None:
        keys = [r.keys for r in self.rows]
        await uow.contacts.lock_identifiers(sorted({i for k in keys for i in identifiers(k)}))
        known: set[str] = set()
        for first in sorted({k.area[:1] for k in keys if k.area and k.name_blocks}):
            known.update(await uow.contacts.known_areas(first))
        stored = await uow.contacts.candidates_of_many(keys, chunk_blocks(keys, known),
                                                       CHUNK_READ_LIMIT)
        if len(stored) >= CHUNK_READ_LIMIT:
            return None
        return ChunkMatcher(stored, known, CANDIDATE_LIMIT)

    async def admit(self, uow: UnitOfWork, actor: Member, rows: list[Admissible],
                    now: datetime, arrival: Arrival) -> list[IntakeResult]:
        """admit_new(), and the matcher told the ids."""
        results = await admit_new(uow, actor, rows, now, arrival)
        if self.matcher is not None:
            self.matcher.stored_as([r.contact.id for r in results])
        return results

    async def after_one(self, uow: UnitOfWork, index: int, result: IntakeResult | None) -> None:
        """What one-by-one intake did with row `index` (None: refused) changes what the rows
        after it are matched against: a new contact, or a stored one given a phone or an
        e-mail by the arrival attached to it (read again)."""
        if self.matcher is None or result is None:
            return
        if result.created:
            contact_id = result.contact.id
            self.matcher.refresh(contact_id, Stored(contact_id, self.rows[index].keys, contact_id))
            return
        [stored] = await uow.contacts.stored_rows([result.contact.id]) or [None]
        self.matcher.refresh(result.contact.id, stored)


async def admit_new(uow: UnitOfWork, actor: Member, rows: list[Admissible], now: datetime,
                    arrival: Arrival) -> list[IntakeResult]:
    """Store `rows` as admit() would have, one after the other, in a burst. Not committed."""
    require(actor, *INTAKE_ROLES)
    if not arrival.hold or arrival.batch is None:
        raise ValueError("only a burst's rows are admitted together")
    born = card_queue.born_with(arrival)
    where = {place: await dispatch_fields(uow, place) for place in {r.details.area for r in rows}}
    fields = [{"dup_checked_at": now, "area_key": None, "auto_dispatch": False,
               **where[r.details.area], **born} for r in rows]
    contacts = await uow.contacts.add_many(
        [(r.details, f) for r, f in zip(rows, fields)], actor.id, now)
    await uow.audit.record_many(now, actor.id, "contact", "create",
                                [(c.id, asdict(r.details)) for r, c in zip(rows, contacts)])
    await uow.contacts.count_into(arrival.batch.id, len(contacts))
    suspects = await _suspects(uow, rows, contacts, now)
    uow.effects.add(Effect.AUTODISPATCH)
    return [IntakeResult(c, created=True, suspects=s) for c, s in zip(contacts, suspects)]


async def _suspects(uow: UnitOfWork, rows: list[Admissible], contacts: list[Contact],
                    now: datetime) -> list[list[Match]]:
    """Each new contact's pending suspects, as record_suspects() would have recorded them
    row after row (the counts it reads from the database kept here instead)."""
    ids = [c.id for c in contacts]

    def real(match: Match) -> Match:
        at = match.contact_id - PROVISIONAL
        return replace(match, contact_id=ids[at]) if at >= 0 else match

    stored = sorted({m.contact_id for r in rows for m in r.row.matches if m.contact_id < PROVISIONAL})
    pending = await uow.duplicates.pending_counts(stored) if stored else {}
    out, pairs = [], []
    for row, contact in zip(rows, contacts):
        chosen = new_suspects([real(m) for m in row.row.matches], 0, pending)
        pending[contact.id] = len(chosen)
        for match in chosen:
            pending[match.contact_id] = pending.get(match.contact_id, 0) + 1
        pairs += [(contact.id, m) for m in chosen]
        out.append(chosen)
    await uow.duplicates.add_new(pairs, now)
    # their cards show the new possible duplicate
    await show_many(uow, list(dict.fromkeys(m.contact_id for chosen in out for m in chosen)), now)
    return out
