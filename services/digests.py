"""What a digest holds. Dispatchers: what waits and what went wrong since their last digest.
Multipliers: offers waiting for their answer and contacts that need an update. Operators:
what became of the seekers they entered since their last digest."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from domain.contacts import ASSIGNED_STATUSES, Contact, Status
from domain.conversations import RelayStatus
from domain.delivery import Purpose
from domain.followup_rules import NagAction, NagPolicy, nag_action
from domain.members import Member, NotifyMode
from domain.offers import Offer
from domain.outcomes import ACTIONS, Event, event
from domain.roles import DISPATCH_ROLES, Role
from domain.settings import DIGEST_TIMES
from domain.timing import parse_times
from services import languages, notify, undispatched
from services.ports import UnitOfWork
from services.transaction import use_case

#: Relay statuses in which the multiplier owes the seeker an answer.
OWED = frozenset({RelayStatus.SEEKER_REPLIED, RelayStatus.NOT_RESPONDING})


@dataclass
class DispatcherDigest:
    waiting: list[Contact] = field(default_factory=list)
    declined: list[tuple[Offer, Contact]] = field(default_factory=list)
    expired: list[tuple[Offer, Contact]] = field(default_factory=list)
    handed_back: list[Contact] = field(default_factory=list)
    auto_closed: list[Contact] = field(default_factory=list)
    overdue: list[Contact] = field(default_factory=list)
    not_responding: list[Contact] = field(default_factory=list)
    unreachable: list[Member] = field(default_factory=list)
    overloaded: list[tuple[Member, int]] = field(default_factory=list)
    seekers_waiting: list[Contact] = field(default_factory=list)  # multiplier not responding
    seekers_silent: list[Contact] = field(default_factory=list)  # closed: never answered
    forgotten: list[Contact] = field(default_factory=list)  # waiting too long (undispatched)
    forgotten_hours: int = 0
    names: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any((self.forgotten, self.waiting, self.declined, self.expired, self.handed_back,
                    self.auto_closed, self.overdue, self.not_responding, self.unreachable,
                    self.overloaded, self.seekers_waiting, self.seekers_silent))


@dataclass
class MultiplierDigest:
    pending: list[tuple[Offer, Contact]] = field(default_factory=list)
    need_update: list[Contact] = field(default_factory=list)
    seeker_replied: list[tuple[Contact, RelayStatus]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pending or self.need_update or self.seeker_replied)


@dataclass
class OperatorDigest:
    """The seekers an operator entered and what became of each since their last digest."""

    news: list[tuple[Contact, list[Event]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.news)


@dataclass(frozen=True)
class Forgotten:
    """Contacts waiting for dispatch longer than `hours` (0: not watched), quiet hours not
    counted (services.undispatched)."""

    hours: int
    quiet: notify.Quiet


@use_case
async def for_dispatcher(uow: UnitOfWork, since: datetime, now: datetime,
                         forgotten: Forgotten | None = None) -> DispatcherDigest:
    d = DispatcherDigest(waiting=await uow.contacts.with_status([Status.NEW]))
    if forgotten and forgotten.hours:
        d.forgotten_hours = forgotten.hours
        d.forgotten = await undispatched.forgotten(uow, timedelta(hours=forgotten.hours),
                                                   forgotten.quiet, now)
    members = await uow.members.list_all()
    d.names = {m.id: m.name for m in members}
    for row in await uow.audit.recent("offer", ["decline", "expire"], since):
        offer = await uow.offers.get(row.entity_id)
        contact = await uow.contacts.get(offer.contact_id) if offer else None
        if offer and contact:
            (d.declined if row.action == "decline" else d.expired).append((offer, contact))
    for row in await uow.audit.recent("contact", ["hand_back", "auto_close"], since):
        contact = await uow.contacts.get(row.entity_id)
        if contact:
            (d.handed_back if row.action == "hand_back" else d.auto_closed).append(contact)
    assigned = await uow.contacts.with_status(ASSIGNED_STATUSES)
    d.overdue = [c for c in assigned if c.nag_count > 0 and c.escalated_at is None]
    d.not_responding = [c for c in assigned if c.escalated_at is not None]
    d.unreachable = [m for m in members if m.active and m.unreachable_at is not None]
    loads = await uow.members.loads([m.id for m in members if m.is_multiplier])
    d.overloaded = [(m, loads.get(m.id, 0)) for m in members
                    if m.is_multiplier and loads.get(m.id, 0) >= m.profile.capacity > 0]
    for conv in await uow.conversations.relayed([RelayStatus.NOT_RESPONDING]):
        contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
        if contact and contact.status in ASSIGNED_STATUSES:
            d.seekers_waiting.append(contact)
    for row in await uow.audit.recent("conversation", [RelayStatus.CLOSED.value], since):
        conv = await uow.conversations.get(row.entity_id)
        contact = await uow.contacts.get(conv.contact_id) if conv and conv.contact_id else None
        if contact:
            d.seekers_silent.append(contact)
    return d


async def for_multipliers(uow: UnitOfWork, members: list[Member], policy: NagPolicy,
                          now: datetime) -> dict[int, MultiplierDigest]:
    """Each multiplier's digest, read for all of them at once (a round of digests reads
    the offers and held contacts once, not once per multiplier)."""
    found = {m.id: MultiplierDigest() for m in members}
    if not found:
        return found
    offers = [o for o in await uow.offers.pending() if o.multiplier_id in found and o.is_open(now)]
    offered = await uow.contacts.get_many({o.contact_id for o in offers})
    for offer in offers:
        if offer.contact_id in offered:
            found[offer.multiplier_id].pending.append((offer, offered[offer.contact_id]))
    held = await uow.contacts.assigned_to(list(found), ASSIGNED_STATUSES)
    accepted = await uow.offers.accepted_for_contacts([c.id for c in held]) if held else {}
    talks = await uow.conversations.for_contacts([c.id for c in held]) if held else {}
    for contact in held:
        d = found[contact.assignee_id]  # type: ignore[index]
        offer = accepted.get(contact.id)
        overdue = nag_action(contact, 0, None, False, offer.days if offer else 1, policy, now)
        if overdue is not NagAction.NONE or contact.nag_count > 0:
            d.need_update.append(contact)
        if contact.id in talks and talks[contact.id].relay_status in OWED:
            d.seeker_replied.append((contact, talks[contact.id].relay_status))
    return found


@use_case
async def for_operator(uow: UnitOfWork, member: Member, since: datetime) -> OperatorDigest:
    """Every contact event since `since` on the seekers `member` entered, in order."""
    events = [(row.entity_id, happened) for row in await uow.audit.recent("contact", ACTIONS, since)
              if (happened := event(row.action, row.after)) is not None]
    contacts = await uow.contacts.get_many({contact_id for contact_id, _ in events})
    mine: dict[int, tuple[Contact, list[Event]]] = {}
    for contact_id, happened in events:
        contact = contacts.get(contact_id)
        if contact is not None and contact.created_by == member.id:
            mine.setdefault(contact_id, (contact, []))[1].append(happened)
    return OperatorDigest(list(mine.values()))


def wants_dispatch_digest(member: Member) -> bool:
    return member.has(*DISPATCH_ROLES) and member.notify_mode is NotifyMode.DIGEST


def wants_operator_digest(member: Member) -> bool:
    """Operators hear back at the digest times unless they chose real time (/notify)."""
    return member.has(Role.OPERATOR) and member.notify_mode is NotifyMode.DIGEST


@dataclass(frozen=True)
class Readers:
    times: list[time]  # the team's digest times
    members: list[Member]  # everyone who reads a digest


@use_case
async def readers(uow: UnitOfWork, default_times: str) -> Readers:
    times = parse_times(await uow.settings.get(DIGEST_TIMES) or default_times)
    members = [m for m in await uow.members.list_all()
               if wants_dispatch_digest(m) or wants_operator_digest(m)
               or m.has(Role.MULTIPLIER)]
    await uow.commit()
    return Readers(times, members)


#: Renders one person's digest in their locale from its parts (None: not theirs) ->
#: (text, JSON markup); an empty text means there is nothing to say.
ComposeDigest = Callable[[str, Member, DispatcherDigest | None, MultiplierDigest | None,
                          OperatorDigest | None], tuple[str, str | None]]


@dataclass(frozen=True)
class Due:
    """A reader whose digest time came: `slot` is the digest time that passed (None: a
    newcomer, who starts from now, not with a backlog)."""

    member: Member
    slot: datetime | None


@use_case
async def send(uow: UnitOfWork, due: list[Due], now: datetime, policy: NagPolicy,
               quiet: notify.Quiet, compose: ComposeDigest, alarm_hours: int = 0) -> None:
    """The digest job's move for everyone due, in one transaction: each one's digest for
    their slot (an empty one is not sent), then each slot remembered. The slots are written
    last: writing a member renews the team's stamp (storage.team_stamp), and the digests
    read the team."""
    reading = [d for d in due if d.member.last_digest_at is not None and d.slot is not None]
    read = {d.member.id for d in reading}
    held = await for_multipliers(uow, [d.member for d in reading if d.member.has(Role.MULTIPLIER)],
                                 policy, now)
    dispatching: dict[datetime, DispatcherDigest] = {}  # by `since`: the team's shared view
    for d in reading:
        member, since = d.member, d.member.last_digest_at
        assert since is not None and d.slot is not None
        if wants_dispatch_digest(member) and since not in dispatching:
            dispatching[since] = await for_dispatcher(uow, since, now, Forgotten(alarm_hours, quiet))
        dispatcher = dispatching[since] if wants_dispatch_digest(member) else None
        operator = (await for_operator(uow, member, since)
                    if wants_operator_digest(member) else None)
        locale = await languages.of_member(uow, member)
        text, markup = compose(locale, member, dispatcher or None,
                               held.get(member.id) or None, operator or None)
        if text:
            await notify.to_member(uow, member, text, now, quiet, reply_markup=markup,
                                   purpose=Purpose.DIGEST,
                                   dedupe_key=f"digest:{member.id}:{d.slot.isoformat()}")
    by_slot: dict[datetime | None, list[int]] = {}
    for d in due:
        by_slot.setdefault(d.slot if d.member.id in read else now, []).append(d.member.id)
    for slot, ids in by_slot.items():
        await uow.members.update_many(ids, last_digest_at=slot)
    await uow.commit()
