"""Multipliers' track records, read from their offers and the reminders the audit log holds.

Reading every offer of the last 180 days of every multiplier for each card is what made a
press slow (100,000 contacts: tens of thousands of rows per card). What a multiplier's
offers say is kept in memory, keyed by the member's `track_stamp`, which every change to
one of their offers renews in the same transaction (repositories.offers). Each read checks
the stamps in the database (one small query), so a change made by another replica, a
rolled-back change, or another database at the same place is never served from memory:
only multipliers whose stamp moved are read again. The reminders and escalations their
contacts got (audit log, last 30 days) are kept with the offers: recording one renews its
holder's stamp (`reminded`). The record computed from what is kept is reused until what
depends on the time alone would change it: an offer or reminder leaving its window, an
accepted offer coming due (domain.reliability.track_as_of).
"""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.reliability import (
    HISTORY, RECENT, REMINDER_ACTIONS, AnsweredOffer, Reminder, Track, track_as_of,
)
from storage.models import AuditRow, MemberRow, OfferRow, new_stamp
from storage.repositories.mapping import plain, write

#: Members whose offers are kept per process, least recently used dropped first.
MOST = 20_000


#: An AnsweredOffer's fields as kept. A plain tuple of strings, numbers and times is one
#: the garbage collector stops tracking, where an object stays tracked: tens of thousands
#: kept (300 multipliers' 180 days) made each full collection walk them all, a pause of
#: ~50 ms in the middle of a press.
_OfferFields = tuple[str, datetime, datetime | None, int, datetime | None]


@dataclass
class _Kept:
    """One member's offers and reminders as read at `read_at` (those created in the HISTORY,
    and the RECENT, before it), and the last record computed from them with the span of time
    it holds for."""

    stamp: int
    read_at: datetime
    offers: tuple[_OfferFields, ...]
    reminders: tuple[Reminder, ...]
    last_offer_at: datetime | None
    _computed: tuple[datetime, datetime, Track] | None = None

    def track(self, now: datetime) -> Track:
        if self._computed and self._computed[0] <= now < self._computed[1]:
            return self._computed[2]
        offers = [AnsweredOffer(*fields) for fields in self.offers]
        track, until = track_as_of(offers, self.reminders, self.last_offer_at, now)
        self._computed = (now, until, track)
        return track


#: Read with every ranking (each card waiting for dispatch), so built once: everyone's
#: stamp, since an IN list of the team cost more to bind than reading the few extra rows.
_STAMPS = select(MemberRow.id, MemberRow.track_stamp)


def _holder(contact_id, at):  # type: ignore[no-untyped-def]
    """Who held the contact at `at`: the multiplier of the last offer accepted before it."""
    return select(OfferRow.multiplier_id) \
        .where(OfferRow.contact_id == contact_id, OfferRow.status == "accepted",
               OfferRow.answered_at <= at) \
        .order_by(OfferRow.answered_at.desc(), OfferRow.id.desc()).limit(1)


_HOLDER = _holder(AuditRow.entity_id, AuditRow.at).correlate(AuditRow).scalar_subquery()
_HOLDER_AT = _holder(bindparam("contact"), bindparam("at"))
#: The reminders of the RECENT past on contacts these members held (each then counted
#: against whoever held it at the time).
_REMINDERS = select(_HOLDER.label("holder"), AuditRow.action, AuditRow.at) \
    .where(AuditRow.entity == "contact", AuditRow.action.in_(REMINDER_ACTIONS),
           AuditRow.at >= bindparam("since"),
           AuditRow.entity_id.in_(select(OfferRow.contact_id).where(
               OfferRow.multiplier_id.in_(bindparam("ids", expanding=True)),
               OfferRow.status == "accepted")))

#: What the records of these members read of their offers (HISTORY), and each one's last offer.
_OFFERS = select(OfferRow.multiplier_id, OfferRow.status, OfferRow.created_at,
                 OfferRow.answered_at, OfferRow.days, OfferRow.reached_at) \
    .where(OfferRow.multiplier_id.in_(bindparam("ids", expanding=True)),
           OfferRow.created_at >= bindparam("since"))
_LAST = select(OfferRow.multiplier_id, func.max(OfferRow.created_at)) \
    .where(OfferRow.multiplier_id.in_(bindparam("ids", expanding=True))) \
    .group_by(OfferRow.multiplier_id)

#: (database, member id) -> that member's offers and reminders
_kept: OrderedDict[tuple[str, int], _Kept] = OrderedDict()


#: A member's new track stamp (`restamp`), by their id or by an offer of theirs: built once.
_RESTAMP = (update(MemberRow).where(MemberRow.id == bindparam("member"))
            .values(track_stamp=bindparam("stamp")).execution_options(synchronize_session=False))
_RESTAMP_OF_OFFER = (
    update(MemberRow)
    .where(MemberRow.id == select(OfferRow.multiplier_id)
           .where(OfferRow.id == bindparam("offer")).scalar_subquery())
    .values(track_stamp=bindparam("stamp")).execution_options(synchronize_session=False))


async def restamp(session: AsyncSession, member_id: int) -> None:
    """What the member's track record reads changed: a new stamp, in the caller's
    transaction, so that records kept in any process are read again."""
    await write(session, _RESTAMP, {"member": member_id, "stamp": new_stamp()})


async def restamp_offers_holder(session: AsyncSession, offer_id: int) -> None:
    """restamp() of the multiplier an offer was made to."""
    await write(session, _RESTAMP_OF_OFFER, {"offer": offer_id, "stamp": new_stamp()})


class TrackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_members(self, member_ids: list[int], now: datetime) -> dict[int, Track]:
        where = str(self.session.bind.url) if self.session.bind is not None else ""
        stamps = dict(await plain(self.session, _STAMPS))
        found: dict[int, _Kept] = {}
        stale = []
        for member_id in member_ids:
            kept = _kept.get((where, member_id))
            if kept and stamps.get(member_id) == kept.stamp and kept.read_at <= now:
                found[member_id] = kept
                _kept.move_to_end((where, member_id))
            else:
                stale.append(member_id)
        if stale:
            for member_id, read in (await self._read(stale, stamps, now)).items():
                found[member_id] = read
                if read.stamp:  # zero: written before the stamps; not kept
                    _kept[(where, member_id)] = read
            while len(_kept) > MOST:
                _kept.popitem(last=False)
        return {member_id: found[member_id].track(now) for member_id in member_ids}

    async def reminded(self, contact_id: int, at: datetime) -> None:
        """A reminder or escalation on this contact was recorded at `at`: its holder then
        (as `_HOLDER` reads it) gets a new stamp in this transaction, so kept records know."""
        holder = await self.session.scalar(_HOLDER_AT, {"contact": contact_id, "at": at})
        if holder is not None:
            await restamp(self.session, holder)

    async def _read(self, member_ids: list[int], stamps: dict[int, int],
                    now: datetime) -> dict[int, _Kept]:
        offers: dict[int, list[_OfferFields]] = defaultdict(list)
        rows = await plain(self.session, _OFFERS, {"ids": member_ids, "since": now - HISTORY})
        for member_id, status, created, answered, days, reached in rows:
            offers[member_id].append((
                status, as_utc(created), as_utc(answered) if answered else None, days,
                as_utc(reached) if reached else None))
        last = dict(await plain(self.session, _LAST, {"ids": member_ids}))
        reminders = await self._reminders(member_ids, now)
        return {
            member_id: _Kept(stamps.get(member_id) or 0, now, tuple(offers[member_id]),
                             tuple(reminders[member_id]),
                             as_utc(last[member_id]) if last.get(member_id) else None)
            for member_id in member_ids
        }

    async def _reminders(self, member_ids: list[int], now: datetime) -> dict[int, list[Reminder]]:
        """Reminders and escalations, each counted against whoever held the contact then
        (the multiplier of the last offer accepted before it), not whoever holds it now."""
        rows = await plain(self.session, _REMINDERS, {"since": now - RECENT, "ids": member_ids})
        wanted = set(member_ids)
        found: dict[int, list[Reminder]] = defaultdict(list)
        for holder, action, at in rows:
            if holder in wanted:
                found[holder].append(Reminder(as_utc(at), action))
        return found
