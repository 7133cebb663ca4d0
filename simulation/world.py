"""The world of one run: the real use cases, jobs and outbox sender on a virtual clock, and
the scripted people (simulation.people) reacting to what the bot actually delivered.

Time moves in job ticks (`TICK`): at each tick the people whose moment came act (each
through one use case, as their button or command would), every job runs once, the outbox
is drained to the in-process Bot API, and what was delivered is read back from the outbox
to schedule the people's reactions (an offer answered after the multiplier's delay, a
digest read by its dispatcher). Nothing sleeps and nothing reads the wall clock."""

import asyncio
import heapq
import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from sqlalchemy import Row, Select, bindparam, func, select

from domain.areas import Area
from domain.clock import Clock, as_utc
from domain.contacts import ASSIGNED_STATUSES, ContactDetails, Status
from domain.cracks import escalation_deadline
from domain.errors import DomainError
from domain.followup_rules import stage_start
from domain.members import Availability, Member, NotifyMode, Profile, Role
from domain.reliability import REACHED_STAGES
from domain.timing import parse_times
from scheduler.context import JobContext
from scheduler.limits import FloodLimits
from scheduler.render import Renderer
from scheduler.sender import OutboxSender
from scheduler.digests import send_digests
from scheduler.jobs import (
    auto_close,
    auto_dispatch,
    conversation_statuses,
    expire_offers,
    find_missed_duplicates,
    forget_old_updates,
    lapse_pools,
    nag_followups,
    undispatched_alarms,
)
from services import answers, dispatch, escalations, followup, intake, team
from services.options import Options
from simulation.database import one_connection
from simulation.fake_bot import fake_bot
from simulation.people import ANSWER, PACE, PACE_DEFAULT, AREAS, Behaviour, Cast, Fate, awake
from storage.engine import create_session_factory
from storage.migrate import upgrade
from storage.models import ContactRow, OutboxRow
from storage.repositories.mapping import plain
from storage.uow import UnitOfWork
from views import keyboards, texts
from views.language import for_reader
from views.offers import offer_message

TEAM_ZONE = "Europe/Kyiv"
TEAM_CHAT = -1001
TICK = timedelta(minutes=30)
#: Pings that make a real-time dispatcher look at the queue.
PINGS = frozenset({"new_contact", "declined", "expired_ping", "auto_closed"})
EVERY_TICK = (expire_offers, lapse_pools, auto_dispatch, nag_followups, auto_close, undispatched_alarms)
HOUSEKEEPING = (find_missed_duplicates, conversation_statuses, forget_old_updates)
IDS = re.compile(r"#(\d+)")

# The simulator's own reads of what the people see, built once: they run at every tick,
# every hour, or every session (after every ping in real-time mode).
_C, _O = ContactRow, OutboxRow
#: What the Bot API got since the tick began (only what `_delivered` reads). Only rows from
#: `floor` on: every older one was done with (sent, failed or cancelled) when last looked at,
#: so the read stays a short range of the key, not a walk over a month of sent rows.
_SENT_SINCE = select(_O.chat_id, _O.member_id, _O.purpose, _O.ref_id, _O.dedupe_key, _O.text,
                     _O.not_before).where(
    _O.id >= bindparam("floor"), _O.sent_at >= bindparam("tick", type_=_O.sent_at.type),
).order_by(_O.id)
#: The next `floor`: the oldest row still to be sent, else the row after the last.
_FLOOR = select(func.coalesce(
    select(func.min(_O.id)).where(_O.status.in_(["queued", "sending"])).scalar_subquery(),
    select(func.max(_O.id) + 1).scalar_subquery(), 0))
_OPEN = select(_C.id, _C.status).where(_C.status.notin_(["closed", "merged"])).order_by(_C.id)
_WAITING = select(_C.id, _C.auto_dispatch, _C.waiting_since).where(
    _C.status.in_([Status.NEW.value, Status.ON_HOLD.value])).order_by(_C.id)
_ESCALATED = select(_C.id).where(_C.status.in_([s.value for s in ASSIGNED_STATUSES]),
                                 _C.escalated_at.is_not(None)).order_by(_C.id)
#: Holders the rule of domain.cracks watches (those who said they could not reach the
#: seeker, or that the seeker is not interested, are waiting for the auto-close).
_WATCHED = select(_C.id, _C.status, _C.stage_changed_at, _C.created_at, _C.meeting_at).where(
    _C.status.in_([s.value for s in ASSIGNED_STATUSES
                   if s not in (Status.COULD_NOT_REACH, Status.NOT_INTERESTED)])).order_by(_C.id)


@dataclass(frozen=True)
class Variant:
    """One policy the team could run with; `--compare` runs several on the same people."""

    name: str = "base"
    auto_dispatch: bool = False
    fairness: float = 1.0
    offer_ttl_hours: int = 24
    nag_interval_hours: int = 24
    realtime: bool = False  # dispatchers in real-time mode instead of digests


@dataclass(frozen=True)
class Sent:
    """One message the in-process Bot API received, as the outbox recorded it."""

    at: datetime  # the tick that delivered it
    #: When the bot let it go (the row's not_before: when it was queued, or the end of its
    #: reader's quiet hours): the real sender sends then, the simulator at the next tick.
    due: datetime
    chat_id: int
    member_id: int | None
    purpose: str
    ref_id: int | None
    dedupe_key: str | None
    names: tuple[int, ...]  # contact ids the text names ("#12")


@dataclass
class Log:
    """What the run observed: the measures (simulation.measure) are computed from it."""

    start: datetime
    end: datetime
    zone: str
    quiet: str
    dispatchers: dict[int, str] = field(default_factory=dict)  # member id -> name
    multipliers: dict[int, Behaviour] = field(default_factory=dict)
    arrived: dict[int, datetime] = field(default_factory=dict)  # contact id -> first arrival
    duplicates: int = 0
    attempted: dict[int, datetime] = field(default_factory=dict)
    reached: dict[int, datetime] = field(default_factory=dict)
    met: dict[int, datetime] = field(default_factory=dict)
    hand_backs: int = 0
    reassignments: int = 0
    sent: list[Sent] = field(default_factory=list)
    samples: dict[int, list[tuple[datetime, Status]]] = field(default_factory=dict)  # changes, at ticks
    held_falls: set[int] = field(default_factory=set)
    escalated: dict[int, list[datetime]] = field(default_factory=dict)
    daily: list[tuple[datetime, int, int, int]] = field(default_factory=list)  # waiting, held, met
    offers: list = field(default_factory=list)  # every Offer at the end
    final: dict[int, tuple[Status, int | None]] = field(default_factory=dict)


class VirtualClock(Clock):
    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current


@dataclass(frozen=True)
class Assembly:
    """What the assembly (bot.cli) hands the simulator: settings and translations."""

    settings: Callable[..., Options]
    i18n: Callable[[], I18n]


class World:
    def __init__(self, cast: Cast, variant: Variant, assembly: Assembly, seed: int,
                 start: datetime, days: int, db_path: str) -> None:
        self.cast, self.variant, self.seed = cast, variant, seed
        self.start, self.end = start, start + timedelta(days=days)
        self.url, self.db_path = f"sqlite+aiosqlite:///{db_path}", db_path
        self.clock = VirtualClock(start)
        self.zone = ZoneInfo(TEAM_ZONE)
        self.settings = assembly.settings(
            database_url=self.url, team_timezone=TEAM_ZONE, offer_ttl_hours=variant.offer_ttl_hours,
            nag_interval_hours=variant.nag_interval_hours, job_interval_seconds=int(TICK.total_seconds()),
            send_overall_per_second=1e9, send_private_interval=1e-9, send_group_interval=1e-9,
            weekly_report="")
        self.i18n = assembly.i18n()
        self.digest_times = frozenset(parse_times(self.settings.digest_times))
        self.log = Log(start, self.end, TEAM_ZONE, self.settings.quiet_hours)
        self.rnd = random.Random(f"{seed}:people")  # every variant starts from the same draws
        self._events: list[tuple[datetime, int, str, tuple]] = []
        self._seq = itertools.count()
        self._plans: dict[int, int] = {}  # contact id -> the token of its holder's next step
        self._session_at: dict[int, datetime] = {}  # dispatcher member id -> planned session
        #: (dispatcher, contact) -> (the contact's waiting clock, when they looked) when nobody
        #: could be offered it: a dispatcher reopens a card that had nobody once its wait
        #: began anew, else the next day (not at every session: in real-time mode that is
        #: after every ping, and an unserved place's backlog grows all month).
        self._nobody: dict[tuple[int, int], tuple[datetime, datetime]] = {}
        self.members: dict[int, Member] = {}  # member id -> member
        self._status: dict[int, str] = {}  # contact id -> its status when last sampled
        self._outbox_floor = 0  # no outbox row below it can be sent any more (_SENT_SINCE)
        self._deadlines: dict[Row, tuple[datetime | None, datetime]] = {}  # `_deadline`
        self.multiplier_of: dict[int, int] = {}  # member id -> cast index
        self.contact_of: dict[int, int] = {}  # seeker index -> contact id
        self.fate: dict[int, Fate] = {}  # contact id -> fate

    # --- the run -------------------------------------------------------------------------

    async def run(self) -> Log:
        await asyncio.to_thread(upgrade, self.url)
        engine = one_connection(self.db_path)
        self.factory = create_session_factory(engine)
        bot = fake_bot(self.clock)
        sender = OutboxSender(bot, self.factory, self.clock, FloodLimits(1e9, 1e-9, 1e-9))
        sender.render = Renderer(self.factory, self.clock, self.i18n)
        self.ctx = JobContext(bot, self.factory, self.clock, self.settings, self.i18n, sender)
        try:
            await self._setup()
            for s in self.cast.seekers:
                self._at(s.arrives, "arrive", s.index)
            tick = self.start
            while tick < self.end:
                await self._act_until(tick)
                self.clock.current = tick
                await self._jobs(tick)
                await self._drain()
                await self._observe(tick)
                tick += TICK
            await self._final()
        finally:
            await engine.dispose()
        return self.log

    async def _jobs(self, tick: datetime) -> None:
        """The scheduler's jobs in its order. Those with work only at set moments run then:
        digests at the ticks where a digest time passed, housekeeping every six hours (the
        weekly report is off: a month has four, they change nothing the table counts)."""
        local = tick.astimezone(self.zone).time()
        for job in EVERY_TICK:
            await job(self.ctx)
        if local in self.digest_times:
            await send_digests(self.ctx)
        if local.minute == 0 and local.hour % 6 == 0:
            for job in HOUSEKEEPING:
                await job(self.ctx)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.factory)

    async def _setup(self) -> None:
        now = self.start
        async with self.uow() as uow:
            for name in AREAS:
                await uow.areas.save(Area(name.lower(), name, "Kyiv"))
            for d in self.cast.dispatchers:
                roles = {Role.DISPATCHER} | ({Role.ADMIN} if d.index == 0 else set())
                m = await uow.members.add(1001 + d.index, d.name, None, roles, now)
                if self.variant.realtime:
                    await uow.members.update(m.id, notify_mode=NotifyMode.REALTIME.value)
                self.log.dispatchers[m.id] = d.name
            for i, name in enumerate(self.cast.operators):
                await uow.members.add(2001 + i, name, None, {Role.OPERATOR}, now)
            for c in self.cast.multipliers:
                m = await uow.members.add(3001 + c.index, c.name, None, {Role.MULTIPLIER}, now)
                await uow.members.save_profile(m.id, Profile(
                    languages=c.languages, areas=frozenset(a.lower() for a in c.areas),
                    capacity=c.capacity, travel_km=0))
                self.multiplier_of[m.id] = c.index
                self.log.multipliers[m.id] = c.behaviour
                if c.behaviour is Behaviour.AWAY:
                    self._at(self._local(c.away_day, 9), "away", m.id)
            for a, b in zip(AREAS[:5], AREAS[1:6], strict=True):
                await uow.areas.link(a.lower(), b.lower())
            read = await uow.settings.match_policy()
            await uow.settings.save_match_policy(replace(
                read, auto_dispatch=self.variant.auto_dispatch,
                weights=replace(read.weights, fairness=self.variant.fairness)), read)
            await uow.commit()
        async with self.uow() as uow:
            self.members = {m.id: m for m in await uow.members.list_all()}
        admin = next(m for m in self.members.values() if m.has(Role.ADMIN))
        async with self.uow() as uow:
            await team.bind_team_chat(uow, admin, TEAM_CHAT, now)

    def _local(self, day: int, hour: int) -> datetime:
        local = self.start.astimezone(self.zone) + timedelta(days=day)
        return local.replace(hour=hour, minute=0).astimezone(UTC)

    def _at(self, at: datetime, kind: str, *args: object) -> None:
        heapq.heappush(self._events, (at, next(self._seq), kind, args))

    async def _act_until(self, tick: datetime) -> None:
        while self._events and self._events[0][0] <= tick:
            at, _seq, kind, args = heapq.heappop(self._events)
            self.clock.current = at
            with self.ctx.texts():
                try:
                    await getattr(self, f"_{kind}")(*args)
                except DomainError:
                    pass  # the button was out of date by then, as it happens to people

    async def _drain(self) -> None:
        sender = self.ctx.sender
        while await sender.fill():
            await sender.idle()
        await sender.idle()

    # --- people --------------------------------------------------------------------------

    def _awake_at(self, at: datetime, behaviour: Behaviour | None = None) -> datetime:
        """The first moment from `at` the person looks at Telegram (in 15-minute steps)."""
        while not awake(behaviour, at.astimezone(self.zone).time()):
            at += timedelta(minutes=15)
        return at

    def _gone(self, member_id: int, at: datetime) -> bool:
        """A vanished multiplier answers nothing after week 2; one away answers nothing that week."""
        c = self.cast.multipliers[self.multiplier_of[member_id]]
        if c.behaviour is Behaviour.VANISHING:
            return at >= self.start + timedelta(days=14)
        if c.behaviour is Behaviour.AWAY:
            away = self._local(c.away_day, 9)
            return away <= at < away + timedelta(days=7)
        return False

    async def _arrive(self, index: int) -> None:
        """The seeker reached out; an operator enters them (forms and ads come in at once)."""
        s = self.cast.seekers[index]
        delay = 0.0 if s.source in ("web form", "instagram · spring") else self.rnd.uniform(5, 90)
        self._at(self._awake_at(s.arrives + timedelta(minutes=delay)), "enter", index)

    async def _enter(self, index: int) -> None:
        s = self.cast.seekers[index]
        operator = self._operator(index)
        details = ContactDetails(name=s.name, phone=s.phone, language=s.language, area=s.area,
                                 source=s.source)
        async with self.uow() as uow:
            made = await intake.create_contact(uow, operator, details, self.clock.now(),
                                               quiet=self.settings.quiet())
        contact_id = made.contact.id
        self.contact_of[index] = contact_id
        if made.created:
            self.log.arrived[contact_id] = s.arrives
            self.fate[contact_id] = s.fate
        else:
            self.log.duplicates += 1

    def _operator(self, index: int) -> Member:
        operators = [m for m in self.members.values() if m.has(Role.OPERATOR)]
        return sorted(operators, key=lambda m: m.id)[index % len(operators)]

    async def _away(self, member_id: int) -> None:
        async with self.uow() as uow:
            m = await uow.members.get(member_id)
            assert m is not None
            await uow.members.save_profile(member_id, replace(
                m.profile, availability=Availability.AWAY,
                away_until=self.clock.now() + timedelta(days=7)))
            await uow.commit()

    async def _answer(self, member_id: int, offer_id: int) -> None:
        now = self.clock.now()
        if self._gone(member_id, now):
            return
        behaviour = self.log.multipliers[member_id]
        member = self.members[member_id]
        async with self.uow() as uow:
            if self.rnd.random() < ANSWER[behaviour][1]:
                done = await answers.accept(uow, member, offer_id, now)
                self._plan_step(done.contact.id, member_id, now)
            else:
                await answers.decline(uow, member, offer_id, now, self.settings.quiet())

    def _plan_step(self, contact_id: int, member_id: int, after: datetime,
                   days: tuple[float, float] | None = None) -> None:
        behaviour = self.log.multipliers[member_id]
        low, high = days or PACE.get(behaviour, PACE_DEFAULT)
        at = self._awake_at(after + timedelta(days=self.rnd.uniform(low, high)), behaviour)
        token = next(self._seq)
        self._plans[contact_id] = token
        self._at(at, "step", contact_id, member_id, token)

    async def _step(self, contact_id: int, member_id: int, token: int) -> None:
        """The holder reports the next stage, as the seeker's fate allows."""
        now = self.clock.now()
        if self._plans.get(contact_id) != token:
            return
        if self._gone(member_id, now):
            if self.log.multipliers[member_id] is Behaviour.AWAY:  # back after the week
                self._plan_step(contact_id, member_id, now + timedelta(days=7))
            return
        async with self.uow() as uow:
            contact = await uow.contacts.get(contact_id)
        if contact is None or contact.assignee_id != member_id or not contact.is_held:
            return
        member, fate = self.members[member_id], self.fate.get(contact_id, Fate.MEETS)
        c = self.cast.multipliers[self.multiplier_of[member_id]]
        if contact.status is Status.ATTEMPTED and self.rnd.random() < c.hands_back:
            async with self.uow() as uow:
                await followup.hand_back(uow, member, contact_id, "cannot take it on", now)
            self.log.hand_backs += 1
            return
        stage = _next_stage(contact.status, fate)
        if stage is None:
            return
        async with self.uow() as uow:
            await followup.set_stage(uow, member, contact_id, stage, now)
        self._record(contact_id, stage, now)
        if stage is Status.MEETING_SCHEDULED:
            async with self.uow() as uow:
                at = now + timedelta(days=self.rnd.uniform(1, 3))
                await followup.set_meeting(uow, member, contact_id, at, now)
            self._plan_step(contact_id, member_id, at, (0.05, 0.5))
        elif stage not in (Status.COULD_NOT_REACH, Status.NOT_INTERESTED, Status.ONGOING):
            self._plan_step(contact_id, member_id, now)

    def _record(self, contact_id: int, stage: Status, now: datetime) -> None:
        self.log.attempted.setdefault(contact_id, now)
        if stage in REACHED_STAGES:
            self.log.reached.setdefault(contact_id, now)
        if stage in (Status.MET, Status.ONGOING):
            self.log.met.setdefault(contact_id, now)

    async def _session(self, member_id: int) -> None:
        """A dispatcher opens the queue: offers every waiting seeker to the best suggestion
        (or the nearest multiplier for an unserved place) and answers escalations."""
        self._session_at.pop(member_id, None)
        now, actor = self.clock.now(), self.members[member_id]
        ttl = timedelta(hours=self.variant.offer_ttl_hours)
        waiting, escalated = await self._queue()
        for contact_id, auto, waiting_since in waiting:
            if auto:
                continue  # auto-dispatch still owns it: its hand-over will say when not
            since, looked = self._nobody.get((member_id, contact_id), (None, now))
            if since == waiting_since and now - looked < timedelta(days=1):
                continue
            try:
                async with self.uow() as uow:
                    card = await dispatch.card(uow, actor, contact_id, now)
                best = card.suggestions[:1] or list(card.nearest[:1])
                if not best:
                    self._nobody[(member_id, contact_id)] = (waiting_since, now)
                else:
                    async with self.uow() as uow:
                        await dispatch.make_offer(uow, actor, contact_id, best[0].member.id, now,
                                                  self.settings.offer_days, ttl,
                                                  for_reader(offer_message))
            except DomainError:
                continue
        for contact_id in escalated:
            action = "reassign" if self.rnd.random() < 0.6 else "remind"
            try:
                async with self.uow() as uow:
                    await escalations.answer(uow, actor, contact_id, action, now,
                                             for_reader(_nag_text(now)))
            except DomainError:
                continue
            if action == "reassign":
                self.log.reassignments += 1

    async def _queue(self) -> tuple[list[tuple[int, bool, datetime]], list[int]]:
        """What a dispatcher's queue shows: the waiting seekers (id, handed to auto-dispatch,
        waiting since) and the escalated ones, by id. Only these columns are read: a session
        comes after every ping in real-time mode, and whole contacts cost most of it."""
        waiting, escalated = await self._read(_WAITING, _ESCALATED)
        return [(i, auto, as_utc(since)) for i, auto, since in waiting], [i for i, in escalated]

    async def _read(self, *queries: Select, **params: object) -> list[list[Row]]:
        """The simulator's own reads, as plain rows in one transaction."""
        async with self.factory() as session:
            return [await plain(session, q, params or None) for q in queries]

    def _plan_session(self, member_id: int, after: datetime) -> None:
        d = self.cast.dispatchers[member_id - min(self.log.dispatchers)]
        at = self._awake_at(after + timedelta(minutes=self.rnd.uniform(*d.delay)))
        planned = self._session_at.get(member_id)
        if planned is not None and planned <= at:
            return
        self._session_at[member_id] = at
        self._at(at, "session", member_id)

    # --- what was delivered --------------------------------------------------------------

    async def _observe(self, tick: datetime) -> None:
        rows, contacts, floor = await self._read(_SENT_SINCE, _OPEN, _FLOOR, tick=tick,
                                                 floor=self._outbox_floor)
        self._outbox_floor = floor[0][0]
        for row in rows:
            self._delivered(tick, row)
        for contact_id, status in contacts:  # kept when it changed: the spans are the same
            if self._status.get(contact_id) != status:
                self._status[contact_id] = status
                self.log.samples.setdefault(contact_id, []).append((tick, Status(status)))
        if tick.minute == 0:
            await self._check_holders(tick)
        local = tick.astimezone(self.zone)
        if local.hour == 12 and local.minute == 0:
            counts = [Status(s) for _i, s in contacts]
            self.log.daily.append((tick, sum(s in (Status.NEW, Status.ON_HOLD, Status.OFFERED)
                                               for s in counts),
                                   sum(s in ASSIGNED_STATUSES for s in counts), len(self.log.met)))

    def _delivered(self, tick: datetime, row: Row) -> None:
        key = row.dedupe_key or ""
        names = {int(n) for n in IDS.findall(row.text or "")}
        if key.startswith(("escalate:", "undispatched:")):
            names.add(int(key.split(":")[1].split("+")[0]))
        sent = Sent(tick, as_utc(row.not_before), row.chat_id, row.member_id, row.purpose,
                    row.ref_id, row.dedupe_key, tuple(sorted(names)))
        self.log.sent.append(sent)
        if key.startswith("escalate:"):
            self.log.escalated.setdefault(sent.names[0], []).append(tick)
        if row.purpose == "offer" and row.member_id in self.multiplier_of and row.ref_id:
            behaviour = self.log.multipliers[row.member_id]
            low, high = ANSWER[behaviour][0]
            at = self._awake_at(tick + timedelta(hours=self.rnd.uniform(low, high)), behaviour)
            self._at(at, "answer", row.member_id, row.ref_id)
        elif key.startswith("nag:") and row.member_id in self.multiplier_of:
            contact_id = int(key.split(":")[1])
            self._plan_step(contact_id, row.member_id, tick,
                            tuple(h / 24 for h in ANSWER[self.log.multipliers[row.member_id]][0]))
        elif row.member_id in self.log.dispatchers and (
                row.purpose == "digest" or row.purpose in PINGS):
            self._plan_session(row.member_id, tick)
        elif row.chat_id == TEAM_CHAT and row.purpose == "alarm":
            on_duty = sorted(self.log.dispatchers)[tick.toordinal() % len(self.log.dispatchers)]
            self._plan_session(on_duty, tick)

    async def _check_holders(self, now: datetime) -> None:
        """A holder who stopped answering must be escalated by the deadline (domain.cracks).
        Only the columns the rule reads are read: this runs every simulated hour."""
        held, = await self._read(_WATCHED)
        for row in held:
            found = self._deadlines.get(row)
            if found is None:
                found = self._deadlines[row] = self._deadline(row)
            since, due = found
            if since is not None and now > due and not any(
                    at >= since for at in self.log.escalated.get(row.id, [])):
                self.log.held_falls.add(row.id)

    def _deadline(self, row: Row) -> tuple[datetime | None, datetime]:
        """(stage clock, escalation deadline) of a watched row; no clock if its stage has no
        limit. Worked out once per row as read: most rows stay the same for days."""
        policy = self.ctx.nag_policy
        status = Status(row.status)
        limit = policy.limit(status, self.settings.offer_days)
        if limit is None:
            return None, self.end
        since = stage_start(status, as_utc(row.stage_changed_at or row.created_at),
                            as_utc(row.meeting_at) if row.meeting_at else None)
        return since, escalation_deadline(since, limit, policy.interval, policy.max_nags)

    async def _final(self) -> None:
        async with self.uow() as uow:
            contacts = await uow.contacts.with_status(list(Status))
            for contact in sorted(contacts, key=lambda c: c.id):
                self.log.final[contact.id] = (contact.status, contact.assignee_id)
                self.log.offers.extend(await uow.offers.for_contact(contact.id))


def _next_stage(status: Status, fate: Fate) -> Status | None:
    if status is Status.ACCEPTED:
        return Status.ATTEMPTED
    if status is Status.ATTEMPTED:
        return {Fate.NEVER_ANSWERS: Status.COULD_NOT_REACH}.get(fate, Status.REACHED)
    if status is Status.REACHED:
        return Status.NOT_INTERESTED if fate is Fate.NOT_INTERESTED else Status.MEETING_SCHEDULED
    return {Status.MEETING_SCHEDULED: Status.MET, Status.MET: Status.ONGOING}.get(status)


def _nag_text(now: datetime) -> Callable:
    def compose(contact) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        return (texts.nag(contact, contact.stage_changed_at or contact.created_at, now),
                keyboards.stages(contact.id, contact.status).model_dump_json())
    return compose
