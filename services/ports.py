"""What use cases need from storage, described here so that they depend on no database.

`UnitOfWork` is the transaction a use case runs in: the repositories over it, `commit()`
and `rollback()`, and the effects left to run once it commits (domain.effects). storage.uow
implements it over SQLAlchemy; tests/fakes implements it in memory. Each repository lists
only the methods use cases call, with storage's signatures; the SQL, the races it settles
(conditional updates, unique keys, row locks) and the migrations stay in storage.
"""

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from domain.api_keys import ApiKey
from domain.areas import Area, AreaMap
from domain.bursts import Batch
from domain.contact_filters import ContactFilter
from domain.contacts import Contact, ContactDetails, Status
from domain.conversations import (
    Conversation,
    ConversationMessage,
    Direction,
    Kind,
    RelayStatus,
    Triage,
    TriageAction,
)
from domain.duplicates import PENDING, Match, Reason, Stored, Suspect
from domain.effects import Effects
from domain.identity import IdentityKeys
from domain.matching import Candidate, MatchPolicy
from domain.members import Member, Profile
from domain.merge import MergeRecord
from domain.milestones import Milestone, Reached
from domain.offers import Offer, OfferStatus, Release
from domain.outbox import Enqueue, OutgoingMessage
from domain.pool import Invitation, InvitationState
from domain.reliability import Track
from domain.reports import (
    Counters,
    DispatcherFigures,
    MultiplierFigures,
    OperatorFigures,
    Period,
    Slips,
    SourceFunnel,
)
from domain.roles import Role
from domain.web_forms import Field, FormFigures, WebForm

# ---------------------------------------------------------------------- records read back


class AuditEntry(Protocol):
    """One line of the audit log; `before` and `after` are JSON text."""

    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def before(self) -> str | None: ...
    @property
    def after(self) -> str | None: ...


class Invite(Protocol):
    @property
    def token(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def created_by(self) -> int: ...
    @property
    def expires_at(self) -> datetime: ...
    @property
    def used_by(self) -> int | None: ...


class IdempotencyRecord(Protocol):
    """A request made with an Idempotency-Key: its body's hash and, once done, its answer."""

    @property
    def request_hash(self) -> str: ...
    @property
    def status_code(self) -> int | None: ...
    @property
    def response(self) -> str | None: ...


# ---------------------------------------------------------------------- repositories


class Members(Protocol):
    async def get(self, member_id: int) -> Member | None: ...

    async def by_tg_user(self, tg_user_id: int) -> Member | None: ...

    async def list_all(self) -> list[Member]: ...

    async def add(
        self, tg_user_id: int, name: str, username: str | None, roles: set[Role], now: datetime
    ) -> Member: ...

    async def set_roles(self, member_id: int, roles: set[Role]) -> None: ...

    async def update(self, member_id: int, **fields: object) -> None: ...

    async def update_many(self, member_ids: Iterable[int], **fields: object) -> None:
        """update() of each, the same values, in one statement."""
        ...

    async def save_profile(self, member_id: int, profile: Profile) -> None: ...

    async def multiplier_candidates(self, now: datetime) -> list[Candidate]:
        """Every active multiplier with the contacts they hold now and their track record."""
        ...

    async def loads(self, member_ids: list[int]) -> dict[int, int]: ...


class Contacts(Protocol):
    async def lock_identifiers(self, identifiers: list[str]) -> None:
        """Until the commit, a second arrival with one of these identifiers waits for us."""
        ...

    async def add(self, details: ContactDetails, created_by: int | None,
                  now: datetime, **fields: object) -> Contact: ...

    async def add_many(self, rows: list[tuple[ContactDetails, dict[str, object]]],
                       created_by: int | None, now: datetime) -> list[Contact]:
        """add() of each (details, fields), in one statement; returned in the order given."""
        ...

    async def rekey(self, after_id: int, limit: int) -> int | None:
        """Recompute the key columns of the next `limit` contacts after `after_id`; the last
        id seen, or None when none is left."""
        ...

    async def known_areas(self, prefix: str = "") -> list[str]:
        """Every distinct normalised area on stored contacts that starts with `prefix`."""
        ...

    async def candidates(self, keys: IdentityKeys, areas: list[str] | None = None) -> list[Stored]:
        """Stored contacts that may be the same seeker (closed ones left out); name blocks
        are looked up in `areas` (the typed area alone when not given)."""
        ...

    async def candidates_of_many(self, keys: list[IdentityKeys], blocks: list[tuple[str, str]],
                                 limit: int) -> list[Stored]:
        """Every live contact sharing an identifier or phone ending with one of `keys`, or an
        (area, name block) of `blocks`; once each, with its name blocks; at most `limit`."""
        ...

    async def stored_rows(self, contact_ids: list[int]) -> list[Stored]:
        """These live contacts as candidates_of_many() reads them."""
        ...

    async def set_details(self, contact_id: int, details: ContactDetails,
                          **fields: object) -> None:
        """Rewrite what was typed; the periodic duplicate check looks at it again."""
        ...

    async def get(self, contact_id: int) -> Contact | None: ...

    async def transition(
        self, contact_id: int, expected: Iterable[Status], to: Status, **fields: object
    ) -> bool:
        """Move the contact only if it is still in an expected status; False if someone was first."""
        ...

    async def set_fields(self, contact_id: int, **fields: object) -> None: ...

    async def update_held(self, contact_id: int, holder_id: int, **fields: object) -> bool:
        """Write only while `holder_id` holds the contact (assigned to them, in an assigned
        status); False if it moved on."""
        ...

    async def update_if_unchanged(self, contact: Contact, **fields: object) -> bool:
        """Write only if the contact is as the caller read it (status, assignee, nags, not
        escalated)."""
        ...

    async def lock(self, contact_ids: list[int]) -> None:
        """Hold these rows to the end of the transaction."""
        ...

    async def auto_move(self, contact: Contact, **fields: object) -> bool:
        """Auto-dispatch's write: only while it still owns the contact as it read it (waiting,
        auto-dispatch on, the same try)."""
        ...

    async def get_many(self, contact_ids: Iterable[int]) -> dict[int, Contact]:
        """The contacts of these ids that exist, by id."""
        ...

    async def with_status(self, statuses: Iterable[Status]) -> list[Contact]: ...

    async def nag_candidates(self, started_by: Mapping[Status, datetime],
                             nagged_by: datetime) -> list[Contact]:
        """Contacts in the statuses of `started_by` whose stage started by the time given
        for their status, not escalated and not reminded after `nagged_by`: the ones a
        reminder may be due for."""
        ...

    async def in_stage_since(self, status: Status, before: datetime) -> list[Contact]:
        """Contacts in `status` whose stage (stage_changed_at, else created_at) began at or
        before `before`."""
        ...

    async def unalarmed(self, statuses: Iterable[Status]) -> list[Contact]:
        """with_status(), less those the undispatched alarm raised in their current wait
        (Contact.alarmed_this_wait)."""
        ...

    async def assigned_to(self, member_id: int | Iterable[int],
                          statuses: Iterable[Status]) -> list[Contact]:
        """Held by this member (or any of these), in the order their stages changed."""
        ...

    async def card(self, contact_id: int) -> tuple[int, int] | None: ...

    async def save_card(self, contact_id: int, chat_id: int, message_id: int) -> None: ...

    async def unmapped(self, statuses: Iterable[Status]) -> list[Contact]:
        """Contacts whose typed place is not (yet) a known area."""
        ...

    async def for_supply(self, waiting: Iterable[Status], since: datetime) -> list[Contact]:
        """Waiting now, or new since the given time."""
        ...

    async def auto_waiting(self) -> list[int]:
        """Contacts auto-dispatch still owns and that wait for their next offer."""
        ...

    async def listing(self, flt: ContactFilter, offset: int, limit: int
                      ) -> tuple[list[Contact], int]:
        """One page of the contacts the filter selects (newest first; a batch in the order it
        arrived) and how many there are in all."""
        ...

    async def new_batch(self, channel: str, now: datetime) -> Batch: ...

    async def open_batch(self, channel: str, now: datetime) -> Batch | None:
        """The channel's batch still within its window at `now`, if any."""
        ...

    async def join_batch(self, contact_id: int, batch_id: int) -> int:
        """Count the contact into the batch; the batch's count with it."""
        ...

    async def count_into(self, batch_id: int, n: int = 1) -> int:
        """`n` more contacts (stored with their batch_id) in the batch; the new count."""
        ...

    async def batch(self, batch_id: int) -> Batch | None: ...


class Offers(Protocol):
    async def add(
        self,
        contact_id: int,
        multiplier_id: int,
        offered_by: int | None,
        days: int,
        now: datetime,
        expires_at: datetime,
        automatic: bool = False,
    ) -> Offer: ...

    async def get(self, offer_id: int) -> Offer | None: ...

    async def transition(
        self, offer_id: int, expected: OfferStatus, to: OfferStatus, **fields: object
    ) -> bool:
        """Only from the expected status; False if someone was first."""
        ...

    async def set_reason(self, offer_id: int, reason: str) -> bool: ...

    async def for_contact(self, contact_id: int) -> list[Offer]: ...

    async def pending(self, multiplier_id: int | None = None) -> list[Offer]: ...

    async def accepted_for(self, contact_id: int) -> Offer | None:
        """The offer the current assignee accepted."""
        ...

    async def accepted_for_contacts(self, contact_ids: list[int]) -> dict[int, Offer]:
        """accepted_for() of each of these contacts that has one."""
        ...

    async def dm(self, offer_id: int) -> tuple[int, int] | None: ...

    async def save_dm(self, offer_id: int, chat_id: int, message_id: int) -> None: ...

    async def mark_reached(self, contact_id: int, multiplier_id: int, now: datetime) -> None:
        """The first time the holder reports getting through."""
        ...

    async def release(self, contact_id: int, multiplier_id: int, how: Release,
                      now: datetime) -> Offer | None:
        """The holding `multiplier_id`'s accepted offer on this contact began has ended; the
        offer as it is now, None if no unreleased accepted offer of theirs is on this record."""
        ...


class Invites(Protocol):
    async def add(
        self, token: str, role: str, created_by: int, now: datetime, expires_at: datetime
    ) -> None: ...

    async def get(self, token: str) -> Invite | None: ...

    async def use(self, token: str, member_id: int, now: datetime) -> bool:
        """Conditional, so two people racing on one link cannot both join with it."""
        ...


class Audit(Protocol):
    async def record(
        self,
        at: datetime,
        actor_id: int | None,
        entity: str,
        entity_id: int,
        action: str,
        before: object = None,
        after: object = None,
    ) -> None: ...

    async def record_many(self, at: datetime, actor_id: int | None, entity: str, action: str,
                          changes: list[tuple[int, object]]) -> None:
        """record() of one action on each (entity_id, after)."""
        ...

    async def recent(self, entity: str, actions: list[str], since: datetime
                     ) -> Sequence[AuditEntry]:
        """Events since a moment: what a digest reports as news."""
        ...

    async def for_entity(self, entity: str, entity_id: int) -> Sequence[AuditEntry]:
        """One record's trail, oldest first."""
        ...


class Settings(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...

    async def team_chat_id(self) -> int | None: ...

    async def team_language(self) -> str:
        """Set with /language in the team chat; empty: the deployment's TEAM_LANGUAGE."""
        ...

    async def match_policy(self) -> MatchPolicy: ...

    async def save_match_policy(self, policy: MatchPolicy, read: MatchPolicy) -> bool:
        """Only over the policy the caller read; False if it changed meanwhile."""
        ...

    async def target(self, member_id: int) -> int | None: ...

    async def set_target(self, member_id: int, target: int | None) -> None: ...


class Outbox(Protocol):
    async def queued(self, purpose: str, ref_id: int) -> int | None:
        """The id of a row for this purpose and reference that waits to be sent (not yet
        claimed)."""
        ...

    async def add(self, message: Enqueue, now: datetime) -> bool:
        """False if a message with the same dedupe key was queued before (a job re-run)."""
        ...

    async def sent(self, message: OutgoingMessage, tg_message_id: int | None,
                   now: datetime) -> None:
        """Only by the replica whose claim it is (a takeover makes a late one change nothing)."""
        ...

    async def failed(self, message: OutgoingMessage, error: str) -> None: ...

    async def cancel(self, purpose: str, ref_id: int) -> None:
        """A message not yet sent whose reason went away stays unsent."""
        ...


class Areas(Protocol):
    async def map(self) -> AreaMap: ...

    async def save(self, area: Area) -> None: ...

    async def remove(self, key: str) -> None: ...

    async def link(self, a: str, b: str) -> bool:
        """False when they were neighbours already."""
        ...

    async def unlink(self, a: str, b: str) -> bool: ...


class Tracks(Protocol):
    async def for_members(self, member_ids: list[int], now: datetime) -> dict[int, Track]: ...

    async def reminded(self, contact_id: int, at: datetime) -> None:
        """A reminder or escalation on this contact was recorded: its holder's record changed."""
        ...


class Milestones(Protocol):
    async def of(self, contact_id: int) -> list[Reached]: ...

    async def tick(self, contact_id: int, milestone: Milestone, at: datetime,
                   by: int | None) -> None: ...

    async def untick(self, contact_id: int, milestone: Milestone) -> bool:
        """False if it was not ticked."""
        ...

    async def reached(self, period: Period, holder_id: int | None = None) -> dict[Milestone, int]:
        """Seekers who reached each milestone in the period (one holder's, with `holder_id`)."""
        ...


class Reports(Protocol):
    async def counters(self, period: Period) -> Counters: ...

    async def funnel(self, period: Period) -> dict[Status, int]: ...

    async def multipliers(self, period: Period) -> list[MultiplierFigures]: ...

    async def dispatchers(self, period: Period, auto_name: str) -> list[DispatcherFigures]: ...

    async def operators(self, period: Period) -> list[OperatorFigures]: ...

    async def dispatch_times(self, period: Period) -> list[timedelta]: ...

    async def sources(self, period: Period) -> list[SourceFunnel]: ...

    async def arrivals_by_area(self, period: Period) -> list[tuple[str | None, datetime]]: ...

    async def slips(self, period: Period) -> dict[int, Slips]: ...

    async def multiplier_names(self) -> dict[int, str]: ...

    async def stage_changes(self, period: Period, since: datetime) -> list[tuple[int, datetime, Status]]: ...

    async def offer_answer_times(self, period: Period) -> list[timedelta]: ...

    async def progress(self, member_id: int, since: datetime) -> tuple[int, int, int, int]:
        """(taken, reached, met, closed) by one multiplier since a moment."""
        ...


class Conversations(Protocol):
    async def get(self, conversation_id: int) -> Conversation | None: ...

    async def by_seeker(self, tg_user_id: int, lock: bool = False) -> Conversation | None:
        """`lock`: hold the row to the end of the transaction, so one sender's messages are
        counted one at a time."""
        ...

    async def count_dropped(self, conversation_id: int, **values: object) -> None: ...

    async def add(self, tg_user_id: int, name: str, username: str | None,
                  now: datetime) -> Conversation | None:
        """None if a concurrent update created this seeker's conversation first."""
        ...

    async def by_contact(self, contact_id: int) -> Conversation | None: ...

    async def for_contacts(self, contact_ids: Iterable[int]) -> dict[int, Conversation]: ...

    async def move(self, conversation_id: int, expected: Iterable[Triage],
                   drafting: bool | None = None, **values: object) -> bool:
        """Change triage fields only if it is still in an expected state, and (`drafting`
        not None) only if a contact draft is open (True) or not (False)."""
        ...

    async def set_fields(self, conversation_id: int, **values: object) -> None: ...

    async def place_card(self, conversation_id: int, chat_id: int, message_id: int,
                         row_id: int) -> None:
        """Where the triage card now is, unless the card was reset for a row newer than
        `row_id` (a late post of the old card)."""
        ...

    async def set_status_if(self, conv: Conversation, to: RelayStatus, now: datetime) -> bool:
        """A job's move: only if nobody wrote since the job read it."""
        ...

    async def relayed(self, statuses: Iterable[RelayStatus]) -> list[Conversation]: ...

    async def add_message(self, conversation_id: int, direction: Direction, kind: Kind,
                          text: str | None, file_id: str | None, now: datetime,
                          sender_member_id: int | None = None) -> int: ...

    async def message(self, message_id: int) -> ConversationMessage | None: ...

    async def messages(self, conversation_id: int, limit: int | None = None,
                       team_only: bool = False) -> list[ConversationMessage]:
        """Oldest first; with a limit, the latest `limit` of them. `team_only`: only the
        seeker's words the team may read (none relayed to or written by a member)."""
        ...

    async def unposted(self) -> list[Conversation]:
        """Requests still open for triage whose card was never posted (no team chat yet)."""
        ...

    async def mark_relayed(self, message_id: int, member_id: int) -> None:
        """The seeker's message went to `member_id` privately: the team chat no longer
        shows it."""
        ...

    async def count_messages(self, conversation_id: int, direction: Direction,
                             since: datetime | None = None) -> int: ...

    async def link(self, chat_id: int, message_id: int, conversation_id: int) -> None: ...

    async def linked(self, chat_id: int, message_id: int) -> int | None: ...

    async def record_triage(self, conversation_id: int, member_id: int, action: TriageAction,
                            now: datetime, waited_seconds: int | None) -> None: ...


class Duplicates(Protocol):
    async def suspect(self, contact_id: int, match: Match, now: datetime) -> bool:
        """Record a pair once (either order); False if it is already known."""
        ...

    async def add_new(self, pairs: list[tuple[int, Match]], now: datetime) -> None:
        """suspect() for each (contact stored in this transaction, its match): never known."""
        ...

    async def get(self, suspect_id: int) -> Suspect | None: ...

    async def pending_for(self, contact_id: int) -> list[Suspect]: ...

    async def pending_counts(self, contact_ids: list[int]) -> dict[int, int]:
        """Pending suspects per contact (either side of the pair); absent means none."""
        ...

    async def pending(self, limit: int = 100) -> list[Suspect]: ...

    async def decide(self, suspect_id: int, to: str, actor_id: int | None, now: datetime,
                     expected: str = PENDING) -> bool: ...

    async def reopen_pair(self, a: int, b: int) -> None:
        """After an undo the dispatcher decides on the pair again."""
        ...

    async def add_merge(self, keeper_id: int, merged_id: int, actor_id: int | None,
                        now: datetime, keeper_before: dict, merged_before: dict,
                        conflicts: list, withdrawn: list[int]) -> int: ...

    async def get_merge(self, merge_id: int) -> MergeRecord | None: ...

    async def last_merge_of(self, merged_id: int) -> MergeRecord | None: ...

    async def mark_undone(self, merge_id: int, actor_id: int | None, now: datetime) -> bool: ...

    async def add_touch(self, contact_id: int, now: datetime, actor_id: int | None, source: str,
                        reasons: tuple[Reason, ...], details: dict) -> None: ...

    async def touches(self, contact_id: int) -> int: ...


class ApiKeys(Protocol):
    async def add(self, name: str, secret_hash: str, created_by: int,
                  now: datetime) -> ApiKey: ...

    async def by_name(self, name: str) -> ApiKey | None: ...

    async def by_hash(self, secret_hash: str) -> ApiKey | None: ...

    async def list_all(self) -> list[ApiKey]: ...

    async def revoke(self, key_id: int, now: datetime) -> bool: ...


class Idempotency(Protocol):
    async def answers(self, api_key_id: int, keys: list[str]) -> dict[str, IdempotencyRecord]: ...

    async def answered(self, api_key_id: int, answers: list[tuple[str, str, int, str]],
                       now: datetime) -> None:
        """(key, body hash, status, response) each. Raises domain.api_keys.IdempotencyKeyTaken
        if another request stored one of the keys meanwhile (the transaction must then be
        rolled back)."""
        ...


class Exports(Protocol):
    async def contacts(self, since: datetime | None) -> list[Contact]: ...

    async def audit(self, since: datetime | None) -> list[list[object]]: ...


class WebForms(Protocol):
    async def add(self, slug: str, created_by: int, now: datetime,
                  fields: frozenset[Field]) -> WebForm:
        """Raises domain.errors.AlreadyDone if the slug was taken meanwhile."""
        ...

    async def get(self, form_id: int) -> WebForm | None: ...

    async def by_slug(self, slug: str) -> WebForm | None: ...

    async def list_all(self) -> list[WebForm]: ...

    async def save(self, form: WebForm) -> None: ...

    async def remove(self, form_id: int) -> bool: ...

    async def count(self, form_id: int, now: datetime, sent: int = 0, refused: int = 0) -> None:
        """Add to the form's figures for the hour of `now`."""
        ...

    async def totals(self) -> dict[int, tuple[int, int]]:
        """(sent, refused) per form id since it was made."""
        ...

    async def figures(self, period: Period) -> list[FormFigures]: ...


# ---------------------------------------------------------------------- the transaction


class Pool(Protocol):
    """Open-pool invitations (domain.pool); every change only from the state read."""

    async def add(self, contact_id: int, member_id: int, opened_by: int | None, days: int,
                  now: datetime) -> Invitation: ...

    async def get(self, invitation_id: int) -> Invitation | None: ...

    async def for_contact(self, contact_id: int) -> list[Invitation]: ...

    async def pending_for(self, member_id: int) -> list[Invitation]:
        """A member's invitations whose Take still works."""
        ...

    async def lapsing(self, opened_before: datetime) -> list[int]:
        """Contacts with an invitation still pending that went out before then."""
        ...

    async def transition(self, invitation_id: int, expected: InvitationState,
                         to: InvitationState, now: datetime) -> bool:
        """Only from the expected state; False if someone was first."""
        ...

    async def save_dm(self, invitation_id: int, chat_id: int, message_id: int) -> None: ...


class UnitOfWork(Protocol):
    """Nothing is saved unless committed; leaving the block rolls back the rest. Effects
    collected during the transaction run only after a successful commit."""

    effects: Effects

    @property
    def members(self) -> Members: ...
    @property
    def contacts(self) -> Contacts: ...
    @property
    def offers(self) -> Offers: ...
    @property
    def invites(self) -> Invites: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def areas(self) -> Areas: ...
    @property
    def tracks(self) -> Tracks: ...
    @property
    def reports(self) -> Reports: ...
    @property
    def conversations(self) -> Conversations: ...
    @property
    def duplicates(self) -> Duplicates: ...
    @property
    def api_keys(self) -> ApiKeys: ...
    @property
    def idempotency(self) -> Idempotency: ...
    @property
    def exports(self) -> Exports: ...
    @property
    def web_forms(self) -> WebForms: ...
    @property
    def milestones(self) -> Milestones: ...
    @property
    def pool(self) -> Pool: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A part of the transaction that fails alone: an exception inside undoes what it
        wrote and propagates; the rest of the transaction stands. Effects and queued-row
        counts it added are kept (they only wake jobs, which find nothing to do)."""
        ...
