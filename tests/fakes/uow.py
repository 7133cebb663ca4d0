"""An in-memory unit of work: use cases run on it as on storage.uow, without a database.

`FakeDatabase` holds the committed tables. A `FakeUnitOfWork` works on its own copy of them:
commit() publishes the copy (and hands the transaction's effects over, as storage.uow does),
rollback() and leaving the block throw away whatever was not committed. Conditional writes
(transitions, decisions) check the expected state as the SQL ones do, so a refusal reads
the same here. What the fake cannot show — concurrent transactions, row locks, SQL, the
migrations — is the storage tier's job (tests/storage).

Only the repositories the unit-tested use cases need are implemented; the others raise, so
a use case that reaches one is tested against storage instead.
"""

import copy
import json
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from domain.areas import Area, AreaMap
from domain.bursts import BURST_WINDOW, Batch
from domain.contact_filters import ContactFilter
from domain.contacts import ASSIGNED_STATUSES, LOAD_STATUSES, Contact, ContactDetails, Status
from domain.duplicates import PENDING, Match, Reason, Stored, Suspect
from domain.effects import Effect, Effects
from domain.identity import IdentityKeys, keys_for
from domain.matching import Candidate, MatchPolicy
from domain.members import Member, NotifyMode, Profile
from domain.merge import MergeRecord
from domain.milestones import Milestone, Reached
from domain.offers import DeclineReason, Offer, OfferStatus, Release
from domain.outbox import Enqueue, OutgoingMessage
from domain.reliability import HISTORY, AnsweredOffer, Track, build_track
from domain.errors import AlreadyDone
from domain.reports import Period
from domain.pool import Invitation, InvitationState
from domain.roles import Role
from domain.settings import TEAM_CHAT
from domain.web_forms import Field, FormFigures, WebForm

_CONTACT_FIELDS = {f.name for f in fields(Contact)}
_MEMBER_FIELDS = {f.name for f in fields(Member)}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: int | None
    entity: str
    entity_id: int
    action: str
    before: str | None  # JSON text, as storage keeps it
    after: str | None


@dataclass(frozen=True)
class OutboxEntry:
    """A queued row: what was enqueued, and where it stands."""

    id: int
    message: Enqueue
    created_at: datetime
    status: str = "queued"

    @property
    def purpose(self) -> str:
        return self.message.purpose

    @property
    def ref_id(self) -> int | None:
        return self.message.ref_id

    @property
    def chat_id(self) -> int:
        return self.message.chat_id


@dataclass(frozen=True)
class Touch:
    contact_id: int
    at: datetime
    actor_id: int | None
    source: str
    reasons: tuple[Reason, ...]
    details: dict


@dataclass
class Tables:
    """Everything stored, as core values (plus the few columns the core does not carry)."""

    members: dict[int, Member] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    contact_columns: dict[int, dict[str, object]] = field(default_factory=dict)  # dup_checked_at
    cards: dict[int, tuple[int, int]] = field(default_factory=dict)
    offers: dict[int, Offer] = field(default_factory=dict)
    offer_dms: dict[int, tuple[int, int]] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    match_policy: MatchPolicy = field(default_factory=MatchPolicy)
    outbox: list[OutboxEntry] = field(default_factory=list)
    areas: dict[str, Area] = field(default_factory=dict)
    links: set[frozenset[str]] = field(default_factory=set)
    suspects: dict[int, Suspect] = field(default_factory=dict)
    merges: dict[int, MergeRecord] = field(default_factory=dict)
    touches: list[Touch] = field(default_factory=list)
    batches: dict[int, Batch] = field(default_factory=dict)
    web_forms: dict[int, WebForm] = field(default_factory=dict)
    form_counts: dict[tuple[int, datetime], tuple[int, int]] = field(default_factory=dict)
    milestones: list[Reached] = field(default_factory=list)
    invitations: dict[int, Invitation] = field(default_factory=dict)
    last_id: int = 0  # one sequence for every table is enough here

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


class FakeDatabase:
    """The committed state, and the effects each commit handed over."""

    def __init__(self) -> None:
        self.committed = Tables()
        self.commits = 0
        self.after_commit: list[frozenset[Effect]] = []

    def uow(self) -> "FakeUnitOfWork":
        return FakeUnitOfWork(self)

    @property
    def effects(self) -> set[Effect]:
        """Every effect handed over so far."""
        return {effect for effects in self.after_commit for effect in effects}


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, default=str)


class _Repository:
    def __init__(self, uow: "FakeUnitOfWork") -> None:
        self._uow = uow

    @property
    def t(self) -> Tables:
        return self._uow.tables  # the current transaction's copy, even after a rollback


class FakeMembers(_Repository):
    async def get(self, member_id: int) -> Member | None:
        return self.t.members.get(member_id)

    async def by_tg_user(self, tg_user_id: int) -> Member | None:
        return next((m for m in self.t.members.values() if m.tg_user_id == tg_user_id), None)

    async def list_all(self) -> list[Member]:
        return sorted(self.t.members.values(), key=lambda m: (m.name, m.id))

    async def add(self, tg_user_id: int, name: str, username: str | None, roles: set[Role],
                  now: datetime) -> Member:
        member = Member(self.t.next_id(), tg_user_id, name, frozenset(roles), username)
        self.t.members[member.id] = member
        return member

    async def set_roles(self, member_id: int, roles: set[Role]) -> None:
        self.t.members[member_id] = replace(self.t.members[member_id], roles=frozenset(roles))

    async def update(self, member_id: int, **fields: object) -> None:
        unknown = set(fields) - _MEMBER_FIELDS
        assert not unknown, f"the fake stores no member column {unknown}"
        if isinstance(fields.get("notify_mode"), str):
            fields["notify_mode"] = NotifyMode(str(fields["notify_mode"]))
        self.t.members[member_id] = replace(self.t.members[member_id], **fields)  # type: ignore[arg-type]

    async def update_many(self, member_ids: Iterable[int], **fields: object) -> None:
        for member_id in member_ids:
            await self.update(member_id, **fields)

    async def save_profile(self, member_id: int, profile: Profile) -> None:
        self.t.members[member_id] = replace(self.t.members[member_id], profile=profile)

    async def multiplier_candidates(self, now: datetime) -> list[Candidate]:
        members = [m for m in self.t.members.values() if m.is_multiplier]
        ids = [m.id for m in members]
        loads = await self.loads(ids)
        tracks = await FakeTracks(self._uow).for_members(ids, now)
        return [Candidate(m, loads.get(m.id, 0), tracks[m.id]) for m in members]

    async def loads(self, member_ids: list[int]) -> dict[int, int]:
        loads: dict[int, int] = {}
        for c in self.t.contacts.values():
            if c.assignee_id in member_ids and c.status in LOAD_STATUSES:
                loads[c.assignee_id] = loads.get(c.assignee_id, 0) + 1
        return loads


class FakeTracks(_Repository):
    async def for_members(self, member_ids: list[int], now: datetime) -> dict[int, Track]:
        """From the offers alone: reminders (audit 'nag'/'escalate') are not counted here."""
        tracks = {}
        for member_id in member_ids:
            offers = [o for o in self.t.offers.values() if o.multiplier_id == member_id]
            answered = [AnsweredOffer(o.status.value, o.created_at, o.answered_at, o.days,
                                      o.reached_at)
                        for o in offers if o.created_at >= now - HISTORY]
            last = max((o.created_at for o in offers), default=None)
            tracks[member_id] = build_track(answered, 0, 0, last, now)
        return tracks

    async def reminded(self, contact_id: int, at: datetime) -> None:
        """Nothing kept here: every read computes the record afresh."""


class FakeContacts(_Repository):
    async def lock_identifiers(self, identifiers: list[str]) -> None:
        """One event loop, no awaits between read and write: nothing to wait for."""

    def _write(self, contact_id: int, fields: dict[str, object]) -> None:
        contact = self.t.contacts[contact_id]
        core = {k: v for k, v in fields.items() if k in _CONTACT_FIELDS}
        if "status" in core:
            core["status"] = Status(str(core["status"]))
        self.t.contacts[contact_id] = replace(contact, **core)  # type: ignore[arg-type]
        self.t.contact_columns.setdefault(contact_id, {}).update(
            {k: v for k, v in fields.items() if k not in _CONTACT_FIELDS})

    async def add(self, details: ContactDetails, created_by: int | None, now: datetime,
                  **fields: object) -> Contact:
        contact = Contact(self.t.next_id(), details, Status.NEW, now, now, created_by=created_by)
        self.t.contacts[contact.id] = contact
        self.t.contact_columns[contact.id] = {"dup_checked_at": None}
        self._write(contact.id, fields)
        return self.t.contacts[contact.id]

    async def add_many(self, rows: list[tuple[ContactDetails, dict[str, object]]],
                       created_by: int | None, now: datetime) -> list[Contact]:
        return [await self.add(details, created_by, now, **fields) for details, fields in rows]

    async def rekey(self, after_id: int, limit: int) -> int | None:
        """Keys are computed when read here: only the cursor moves."""
        ids = sorted(i for i in self.t.contacts if i > after_id)[:limit]
        return ids[-1] if ids else None

    async def known_areas(self, prefix: str = "") -> list[str]:
        return sorted({k.area for c in self.t.contacts.values()
                       if (k := _keys(c.details)).area and k.area.startswith(prefix)})

    async def candidates(self, keys: IdentityKeys, areas: list[str] | None = None) -> list[Stored]:
        """Every live contact: detection scores them all (storage narrows them by index)."""
        return [Stored(c.merged_into or c.id, _keys(c.details))
                for c in self.t.contacts.values() if c.status is not Status.CLOSED]

    async def candidates_of_many(self, keys: list[IdentityKeys], blocks: list[tuple[str, str]],
                                 limit: int) -> list[Stored]:
        return (await self.candidates(IdentityKeys()))[:limit]

    async def stored_rows(self, contact_ids: list[int]) -> list[Stored]:
        return [s for s in await self.candidates(IdentityKeys()) if s.id in contact_ids]

    async def set_details(self, contact_id: int, details: ContactDetails,
                          **fields: object) -> None:
        self._write(contact_id, {"details": details, "dup_checked_at": None, **fields})

    async def get(self, contact_id: int) -> Contact | None:
        return self.t.contacts.get(contact_id)

    async def transition(self, contact_id: int, expected: Iterable[Status], to: Status,
                         **fields: object) -> bool:
        contact = self.t.contacts.get(contact_id)
        if contact is None or contact.status not in set(expected):
            return False
        self._write(contact_id, {"status": to, **fields})
        return True

    async def set_fields(self, contact_id: int, **fields: object) -> None:
        if contact_id in self.t.contacts:
            self._write(contact_id, fields)

    async def update_held(self, contact_id: int, holder_id: int, **fields: object) -> bool:
        contact = self.t.contacts.get(contact_id)
        if contact is None or contact.assignee_id != holder_id or not contact.is_assigned:
            return False
        self._write(contact_id, fields)
        return True

    async def update_if_unchanged(self, contact: Contact, **fields: object) -> bool:
        now = self.t.contacts.get(contact.id)
        if now is None or now.escalated_at is not None or (
                now.status, now.nag_count, now.assignee_id) != (
                contact.status, contact.nag_count, contact.assignee_id):
            return False
        self._write(contact.id, fields)
        return True

    async def lock(self, contact_ids: list[int]) -> None:
        """One transaction at a time here: nothing to lock."""

    async def auto_move(self, contact: Contact, **fields: object) -> bool:
        now = self.t.contacts.get(contact.id)
        if now is None or now.status is not Status.NEW or not now.auto_dispatch \
                or now.auto_tries != contact.auto_tries:
            return False
        self._write(contact.id, fields)
        return True

    async def get_many(self, contact_ids: Iterable[int]) -> dict[int, Contact]:
        return {i: self.t.contacts[i] for i in contact_ids if i in self.t.contacts}

    async def with_status(self, statuses: Iterable[Status]) -> list[Contact]:
        wanted = set(statuses)
        return sorted((c for c in self.t.contacts.values() if c.status in wanted),
                      key=lambda c: (c.waiting_since, c.id))

    async def nag_candidates(self, started_by: Mapping[Status, datetime],
                             nagged_by: datetime) -> list[Contact]:
        return [c for c in await self.with_status(started_by) if c.escalated_at is None
                and (c.stage_changed_at or c.created_at) <= started_by[c.status]
                and (c.last_nag_at is None or c.last_nag_at <= nagged_by)]

    async def in_stage_since(self, status: Status, before: datetime) -> list[Contact]:
        return [c for c in await self.with_status([status])
                if (c.stage_changed_at or c.created_at) <= before]

    async def unalarmed(self, statuses: Iterable[Status]) -> list[Contact]:
        return [c for c in await self.with_status(statuses) if not c.alarmed_this_wait]

    async def assigned_to(self, member_id: int | Iterable[int],
                          statuses: Iterable[Status]) -> list[Contact]:
        wanted, ids = set(statuses), {member_id} if isinstance(member_id, int) else set(member_id)
        return sorted((c for c in self.t.contacts.values()
                       if c.assignee_id in ids and c.status in wanted),
                      key=lambda c: (c.stage_changed_at is not None, c.stage_changed_at, c.id))

    async def card(self, contact_id: int) -> tuple[int, int] | None:
        return self.t.cards.get(contact_id)

    async def save_card(self, contact_id: int, chat_id: int, message_id: int) -> None:
        self.t.cards[contact_id] = (chat_id, message_id)

    async def unmapped(self, statuses: Iterable[Status]) -> list[Contact]:
        wanted = set(statuses)
        return [c for c in self.t.contacts.values()
                if c.area_key is None and c.details.area != "" and c.status in wanted]

    async def for_supply(self, waiting: Iterable[Status], since: datetime) -> list[Contact]:
        wanted = set(waiting)
        return [c for c in self.t.contacts.values()
                if c.status in wanted or c.created_at >= since]

    async def auto_waiting(self) -> list[int]:
        return [c.id for c in await self.with_status([Status.NEW]) if c.auto_dispatch]

    async def listing(self, flt: ContactFilter, offset: int, limit: int
                      ) -> tuple[list[Contact], int]:
        chosen = [c for c in self.t.contacts.values() if _selects(flt, c)]
        chosen.sort(key=lambda c: c.id, reverse=flt.batch_id is None)
        return chosen[offset:offset + limit], len(chosen)

    async def new_batch(self, channel: str, now: datetime) -> Batch:
        batch = Batch(self.t.next_id(), channel[:200], now, 0)
        self.t.batches[batch.id] = batch
        return batch

    async def open_batch(self, channel: str, now: datetime) -> Batch | None:
        open_ = [b for b in self.t.batches.values()
                 if b.channel == channel[:200] and b.started_at > now - BURST_WINDOW]
        return max(open_, key=lambda b: (b.started_at, b.id)) if open_ else None

    async def join_batch(self, contact_id: int, batch_id: int) -> int:
        self._write(contact_id, {"batch_id": batch_id})
        return await self.count_into(batch_id)

    async def count_into(self, batch_id: int, n: int = 1) -> int:
        batch = self.t.batches[batch_id]
        self.t.batches[batch_id] = replace(batch, count=batch.count + n)
        return batch.count + n

    async def batch(self, batch_id: int) -> Batch | None:
        return self.t.batches.get(batch_id)


def _selects(flt: ContactFilter, c: Contact) -> bool:
    """storage's listing WHERE, in Python."""
    return (c.status in flt.statuses
            and flt.multiplier_id in (None, c.assignee_id)
            and flt.area_key in (None, c.area_key)
            and (not flt.overdue or (c.status in ASSIGNED_STATUSES
                                     and (c.nag_count > 0 or c.escalated_at is not None)))
            and flt.source in c.details.source.lower()
            and flt.batch_id in (None, c.batch_id))


def _keys(details: ContactDetails) -> IdentityKeys:
    return keys_for(details.name, details.phone, details.email, details.tg_username,
                    details.tg_user_id, details.area)


class FakeOffers(_Repository):
    async def add(self, contact_id: int, multiplier_id: int, offered_by: int | None, days: int,
                  now: datetime, expires_at: datetime, automatic: bool = False) -> Offer:
        offer = Offer(self.t.next_id(), contact_id, multiplier_id, offered_by,
                      OfferStatus.PENDING, now, expires_at, days, automatic=automatic)
        self.t.offers[offer.id] = offer
        return offer

    async def get(self, offer_id: int) -> Offer | None:
        return self.t.offers.get(offer_id)

    async def transition(self, offer_id: int, expected: OfferStatus, to: OfferStatus,
                         **fields: object) -> bool:
        offer = self.t.offers.get(offer_id)
        if offer is None or offer.status is not expected:
            return False
        self.t.offers[offer_id] = replace(offer, status=to, **fields)  # type: ignore[arg-type]
        return True

    async def set_reason(self, offer_id: int, reason: str) -> bool:
        offer = self.t.offers.get(offer_id)
        if offer is None or offer.decline_reason is not None:
            return False
        self.t.offers[offer_id] = replace(offer, decline_reason=DeclineReason(reason))
        return True

    async def for_contact(self, contact_id: int) -> list[Offer]:
        return sorted((o for o in self.t.offers.values() if o.contact_id == contact_id),
                      key=lambda o: o.id)

    async def pending(self, multiplier_id: int | None = None) -> list[Offer]:
        return sorted((o for o in self.t.offers.values() if o.status is OfferStatus.PENDING
                       and multiplier_id in (None, o.multiplier_id)), key=lambda o: o.id)

    async def accepted_for(self, contact_id: int) -> Offer | None:
        accepted = [o for o in await self.for_contact(contact_id)
                    if o.status is OfferStatus.ACCEPTED]
        return accepted[-1] if accepted else None

    async def accepted_for_contacts(self, contact_ids: list[int]) -> dict[int, Offer]:
        found = {i: await self.accepted_for(i) for i in contact_ids}
        return {i: offer for i, offer in found.items() if offer is not None}

    async def dm(self, offer_id: int) -> tuple[int, int] | None:
        return self.t.offer_dms.get(offer_id)

    async def save_dm(self, offer_id: int, chat_id: int, message_id: int) -> None:
        self.t.offer_dms[offer_id] = (chat_id, message_id)

    async def mark_reached(self, contact_id: int, multiplier_id: int, now: datetime) -> None:
        for o in await self.for_contact(contact_id):
            if o.multiplier_id == multiplier_id and o.status is OfferStatus.ACCEPTED \
                    and o.reached_at is None:
                self.t.offers[o.id] = replace(o, reached_at=now)

    async def release(self, contact_id: int, multiplier_id: int, how: Release,
                      now: datetime) -> Offer | None:
        held = [o for o in await self.for_contact(contact_id)
                if o.multiplier_id == multiplier_id and o.status is OfferStatus.ACCEPTED
                and o.released_at is None]
        if not held:
            return None
        offer = self.t.offers[held[-1].id] = replace(held[-1], release=how, released_at=now)
        return offer


class FakeAudit(_Repository):
    async def record(self, at: datetime, actor_id: int | None, entity: str, entity_id: int,
                     action: str, before: object = None, after: object = None) -> None:
        self.t.audit.append(AuditEntry(at, actor_id, entity, entity_id, action, _json(before),
                                       _json(after)))

    async def record_many(self, at: datetime, actor_id: int | None, entity: str, action: str,
                          changes: list[tuple[int, object]]) -> None:
        for entity_id, after in changes:
            await self.record(at, actor_id, entity, entity_id, action, None, after)

    async def recent(self, entity: str, actions: list[str], since: datetime) -> list[AuditEntry]:
        return [a for a in self.t.audit
                if a.entity == entity and a.action in actions and a.at > since]

    async def for_entity(self, entity: str, entity_id: int) -> list[AuditEntry]:
        return [a for a in self.t.audit if a.entity == entity and a.entity_id == entity_id]


class FakeSettings(_Repository):
    async def get(self, key: str) -> str | None:
        return self.t.settings.get(key)

    async def set(self, key: str, value: str) -> None:
        self.t.settings[key] = value

    async def team_chat_id(self) -> int | None:
        value = self.t.settings.get(TEAM_CHAT)
        return int(value) if value else None

    async def team_language(self) -> str:
        return await self.get("team_language") or ""

    async def match_policy(self) -> MatchPolicy:
        return self.t.match_policy

    async def save_match_policy(self, policy: MatchPolicy, read: MatchPolicy) -> bool:
        if self.t.match_policy != read:
            return False
        self.t.match_policy = policy
        return True

    async def target(self, member_id: int) -> int | None:
        value = self.t.settings.get(f"target:{member_id}")
        return int(value) if value else None

    async def set_target(self, member_id: int, target: int | None) -> None:
        self.t.settings[f"target:{member_id}"] = str(target or "")


class FakeOutbox(_Repository):
    async def queued(self, purpose: str, ref_id: int) -> int | None:
        return next((r.id for r in self.t.outbox
                     if r.purpose == purpose and r.ref_id == ref_id and r.status == "queued"),
                    None)

    async def add(self, message: Enqueue, now: datetime) -> bool:
        if message.dedupe_key and any(r.message.dedupe_key == message.dedupe_key
                                      for r in self.t.outbox):
            return False
        stored = replace(message, not_before=message.not_before or now)
        self.t.outbox.append(OutboxEntry(self.t.next_id(), stored, now))
        self._uow.added_rows += 1
        return True

    def _move(self, message_id: int, expected: str, to: str) -> None:
        self.t.outbox = [replace(r, status=to) if r.id == message_id and r.status == expected
                         else r for r in self.t.outbox]

    async def sent(self, message: OutgoingMessage, tg_message_id: int | None,
                   now: datetime) -> None:
        self._move(message.id, "sending", "sent")

    async def failed(self, message: OutgoingMessage, error: str) -> None:
        self._move(message.id, "sending", "failed")

    async def cancel(self, purpose: str, ref_id: int) -> None:
        self.t.outbox = [replace(r, status="cancelled")
                         if r.purpose == purpose and r.ref_id == ref_id and r.status == "queued"
                         else r for r in self.t.outbox]


class FakeAreas(_Repository):
    async def map(self) -> AreaMap:
        return AreaMap(dict(self.t.areas), frozenset(self.t.links))

    async def save(self, area: Area) -> None:
        self.t.areas[area.key] = area

    async def remove(self, key: str) -> None:
        self.t.areas.pop(key, None)
        self.t.links = {link for link in self.t.links if key not in link}

    async def link(self, a: str, b: str) -> bool:
        pair = frozenset((a, b))
        if pair in self.t.links:
            return False
        self.t.links.add(pair)
        return True

    async def unlink(self, a: str, b: str) -> bool:
        pair = frozenset((a, b))
        if pair not in self.t.links:
            return False
        self.t.links.discard(pair)
        return True


class FakeDuplicates(_Repository):
    async def suspect(self, contact_id: int, match: Match, now: datetime) -> bool:
        low, high = sorted((contact_id, match.contact_id))
        if any((s.contact_id, s.other_id) == (high, low) for s in self.t.suspects.values()):
            return False
        suspect = Suspect(self.t.next_id(), high, low, match.score, match.reasons, PENDING)
        self.t.suspects[suspect.id] = suspect
        return True

    async def add_new(self, pairs: list[tuple[int, Match]], now: datetime) -> None:
        for contact_id, match in pairs:
            await self.suspect(contact_id, match, now)

    async def get(self, suspect_id: int) -> Suspect | None:
        return self.t.suspects.get(suspect_id)

    async def pending_for(self, contact_id: int) -> list[Suspect]:
        return sorted((s for s in self.t.suspects.values() if s.status == PENDING
                       and contact_id in (s.contact_id, s.other_id)),
                      key=lambda s: (-s.score, s.id))

    async def pending_counts(self, contact_ids: list[int]) -> dict[int, int]:
        counts: dict[int, int] = {}
        for s in self.t.suspects.values():
            for side in (s.contact_id, s.other_id):
                if s.status == PENDING and side in contact_ids:
                    counts[side] = counts.get(side, 0) + 1
        return counts

    async def pending(self, limit: int = 100) -> list[Suspect]:
        return sorted((s for s in self.t.suspects.values() if s.status == PENDING),
                      key=lambda s: s.id)[:limit]

    async def decide(self, suspect_id: int, to: str, actor_id: int | None, now: datetime,
                     expected: str = PENDING) -> bool:
        suspect = self.t.suspects.get(suspect_id)
        if suspect is None or suspect.status != expected:
            return False
        self.t.suspects[suspect_id] = replace(suspect, status=to)
        return True

    async def reopen_pair(self, a: int, b: int) -> None:
        low, high = sorted((a, b))
        for s in list(self.t.suspects.values()):
            if (s.contact_id, s.other_id) == (high, low):
                self.t.suspects[s.id] = replace(s, status=PENDING)

    async def add_merge(self, keeper_id: int, merged_id: int, actor_id: int | None,
                        now: datetime, keeper_before: dict, merged_before: dict,
                        conflicts: list, withdrawn: list[int]) -> int:
        record = MergeRecord(self.t.next_id(), keeper_id, merged_id, now,
                             json.loads(json.dumps(keeper_before, default=str)),
                             json.loads(json.dumps(merged_before, default=str)),
                             json.loads(json.dumps(conflicts, default=str)), list(withdrawn),
                             None)
        self.t.merges[record.id] = record
        return record.id

    async def get_merge(self, merge_id: int) -> MergeRecord | None:
        return self.t.merges.get(merge_id)

    async def last_merge_of(self, merged_id: int) -> MergeRecord | None:
        live = [m for m in self.t.merges.values()
                if m.merged_id == merged_id and m.undone_at is None]
        return max(live, key=lambda m: m.id) if live else None

    async def mark_undone(self, merge_id: int, actor_id: int | None, now: datetime) -> bool:
        record = self.t.merges.get(merge_id)
        if record is None or record.undone_at is not None:
            return False
        self.t.merges[merge_id] = replace(record, undone_at=now)
        return True

    async def add_touch(self, contact_id: int, now: datetime, actor_id: int | None, source: str,
                        reasons: tuple[Reason, ...], details: dict) -> None:
        self.t.touches.append(Touch(contact_id, now, actor_id, source[:200], reasons, details))

    async def touches(self, contact_id: int) -> int:
        return sum(t.contact_id == contact_id for t in self.t.touches)


class FakeWebForms(_Repository):
    async def add(self, slug: str, created_by: int, now: datetime,
                  fields: frozenset[Field]) -> WebForm:
        if await self.by_slug(slug):
            raise AlreadyDone("form_exists")
        form = WebForm(self.t.next_id(), slug, created_by, now, fields)
        self.t.web_forms[form.id] = form
        return form

    async def get(self, form_id: int) -> WebForm | None:
        return self.t.web_forms.get(form_id)

    async def by_slug(self, slug: str) -> WebForm | None:
        return next((f for f in self.t.web_forms.values() if f.slug == slug), None)

    async def list_all(self) -> list[WebForm]:
        return sorted(self.t.web_forms.values(), key=lambda f: f.slug)

    async def save(self, form: WebForm) -> None:
        self.t.web_forms[form.id] = form

    async def remove(self, form_id: int) -> bool:
        self.t.form_counts = {k: v for k, v in self.t.form_counts.items() if k[0] != form_id}
        return self.t.web_forms.pop(form_id, None) is not None

    async def count(self, form_id: int, now: datetime, sent: int = 0, refused: int = 0) -> None:
        key = (form_id, now.replace(minute=0, second=0, microsecond=0))
        was_sent, was_refused = self.t.form_counts.get(key, (0, 0))
        self.t.form_counts[key] = (was_sent + sent, was_refused + refused)

    async def totals(self) -> dict[int, tuple[int, int]]:
        totals: dict[int, tuple[int, int]] = {}
        for (form_id, _hour), (sent, refused) in self.t.form_counts.items():
            was_sent, was_refused = totals.get(form_id, (0, 0))
            totals[form_id] = (was_sent + sent, was_refused + refused)
        return totals

    async def figures(self, period: Period) -> list[FormFigures]:
        start = period.start.replace(minute=0, second=0, microsecond=0)
        found: dict[str, FormFigures] = {}
        for (form_id, hour), (sent, refused) in self.t.form_counts.items():
            if start <= hour < period.end:
                slug = self.t.web_forms[form_id].slug
                was = found.get(slug, FormFigures(slug))
                found[slug] = FormFigures(slug, was.sent + sent, was.refused + refused)
        return [found[slug] for slug in sorted(found)]


class FakeMilestones(_Repository):
    async def of(self, contact_id: int) -> list[Reached]:
        return [r for r in self.t.milestones if r.contact_id == contact_id]

    async def tick(self, contact_id: int, milestone: Milestone, at: datetime,
                   by: int | None) -> None:
        if any(r.milestone is milestone for r in await self.of(contact_id)):
            raise ValueError("unique constraint: contact_id, milestone")
        self.t.milestones.append(Reached(contact_id, milestone, at, by))

    async def untick(self, contact_id: int, milestone: Milestone) -> bool:
        kept = [r for r in self.t.milestones
                if (r.contact_id, r.milestone) != (contact_id, milestone)]
        gone = len(kept) < len(self.t.milestones)
        self.t.milestones = kept
        return gone

    async def reached(self, period: Period, holder_id: int | None = None) -> dict[Milestone, int]:
        counts: dict[Milestone, int] = {}
        for r in self.t.milestones:
            held = holder_id is None or self.t.contacts[r.contact_id].assignee_id == holder_id
            if held and period.start <= r.reached_at < period.end:
                counts[r.milestone] = counts.get(r.milestone, 0) + 1
        return counts


class FakePool(_Repository):
    async def add(self, contact_id: int, member_id: int, opened_by: int | None, days: int,
                  now: datetime) -> Invitation:
        invitation = Invitation(self.t.next_id(), contact_id, member_id, opened_by,
                                InvitationState.PENDING, days, now)
        self.t.invitations[invitation.id] = invitation
        return invitation

    async def get(self, invitation_id: int) -> Invitation | None:
        return self.t.invitations.get(invitation_id)

    async def for_contact(self, contact_id: int) -> list[Invitation]:
        return sorted((i for i in self.t.invitations.values() if i.contact_id == contact_id),
                      key=lambda i: i.id)

    async def pending_for(self, member_id: int) -> list[Invitation]:
        return sorted((i for i in self.t.invitations.values()
                       if i.member_id == member_id and i.state is InvitationState.PENDING),
                      key=lambda i: i.id)

    async def lapsing(self, opened_before: datetime) -> list[int]:
        return sorted({i.contact_id for i in self.t.invitations.values()
                       if i.state is InvitationState.PENDING and i.created_at < opened_before})

    async def transition(self, invitation_id: int, expected: InvitationState,
                         to: InvitationState, now: datetime) -> bool:
        invitation = self.t.invitations.get(invitation_id)
        if invitation is None or invitation.state is not expected:
            return False
        self.t.invitations[invitation_id] = replace(invitation, state=to, closed_at=now)
        return True

    async def save_dm(self, invitation_id: int, chat_id: int, message_id: int) -> None:
        invitation = self.t.invitations[invitation_id]
        self.t.invitations[invitation_id] = replace(invitation, dm=(chat_id, message_id))


class NotInTheFake:
    """A repository the fake does not have: test that use case on storage (tests/storage)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        raise NotImplementedError(f"the fake unit of work has no {self._name}.{attr}")


class NoSeekers(NotInTheFake):
    """The fake has no seekers' conversations: no contact came from one. Use cases that only
    ask whether a contact has one (releasing a holder, the warm hand-off) run on it."""

    def __init__(self) -> None:
        super().__init__("conversations")

    async def by_contact(self, contact_id: int) -> None:
        return None

    async def unposted(self) -> list:
        return []


class FakeUnitOfWork:
    """Implements services.ports.UnitOfWork in memory, with storage.uow's commit semantics."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.tables = copy.deepcopy(db.committed)
        self.effects = Effects()
        self.added_rows = 0  # outbox rows since the last commit or rollback
        self.members = FakeMembers(self)
        self.contacts = FakeContacts(self)
        self.offers = FakeOffers(self)
        self.audit = FakeAudit(self)
        self.settings = FakeSettings(self)
        self.outbox = FakeOutbox(self)
        self.areas = FakeAreas(self)
        self.tracks = FakeTracks(self)
        self.duplicates = FakeDuplicates(self)
        self.web_forms = FakeWebForms(self)
        self.milestones = FakeMilestones(self)
        self.pool = FakePool(self)
        self.invites: Any = NotInTheFake("invites")
        self.reports: Any = NotInTheFake("reports")
        self.conversations: Any = NoSeekers()
        self.api_keys: Any = NotInTheFake("api_keys")
        self.idempotency: Any = NotInTheFake("idempotency")
        self.exports: Any = NotInTheFake("exports")

    async def __aenter__(self) -> Self:
        self.tables = copy.deepcopy(self.db.committed)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self.db.committed = copy.deepcopy(self.tables)
        self.db.commits += 1
        effects = self.effects.take()
        if self.added_rows:
            effects |= {Effect.WAKE_SENDER}
        self.added_rows = 0
        if effects:
            self.db.after_commit.append(effects)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        saved = copy.deepcopy(self.tables)
        try:
            yield
        except BaseException:
            self.tables = saved
            raise

    async def rollback(self) -> None:
        self.tables = copy.deepcopy(self.db.committed)
        self.effects.discard()
        self.added_rows = 0
