"""The fault test's load, all through the proxy: seekers arriving by the web form (the HTTP
API, some twice at the same instant) and by operators' /new dialogs, dispatchers opening
cards and offering (some two at once), multipliers answering (some with a double tap) and
reporting stages, and a bulk of queued digests and reminders."""

import asyncio
import contextlib
import os
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import aiohttp
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from domain.contacts import Status
from domain.delivery import Purpose
from domain.members import Gender, Profile
from domain.outbox import Enqueue
from domain.roles import Role
from services import api_keys
from storage.uow import UnitOfWork
from tests.fake_telegram import FakeMessage, FakeTelegram, FakeUser, WaitTimeout
from tests.fake_telegram.state import inline_rows
from views.callbacks import Answer, OpenCard, Stage

T = TypeVar("T")
TOKEN = "123456:SCALE-TOKEN"
#: Kyiv districts: each multiplier works in one, each seeker lives in one, so the best
#: suggestions (and the offers) spread over the team.
AREAS = ("Podil", "Obolon", "Pechersk", "Darnytsia", "Troieshchyna", "Holosiiv", "Sviatoshyn",
         "Lukianivka")
ADMIN_ID = 100
#: Seconds a person takes to act on the bot's last message in their chat (a direct answer
#: is a new message there, and Telegram allows one a second per chat).
HUMAN = 1.1
#: Longest wait for one answer: an update may meet a killed replica and be delivered again.
ANSWER = 30.0


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Sizes:
    """Defaults keep both runs within about five minutes on two cores; raise them by env."""

    contacts: int = field(default_factory=lambda: _env("SCALE_CONTACTS", 200))
    via_new: int = field(default_factory=lambda: _env("SCALE_VIA_NEW", 24))
    pairs: int = field(default_factory=lambda: _env("SCALE_PAIRS", 10))  # arrive twice at once
    messages: int = field(default_factory=lambda: _env("SCALE_MESSAGES", 2000))
    per_chat: int = 5  # queued messages per recipient
    multipliers: int = field(default_factory=lambda: _env("SCALE_MULTIPLIERS", 24))
    dispatchers: int = field(default_factory=lambda: _env("SCALE_DISPATCHERS", 8))
    operators: int = field(default_factory=lambda: _env("SCALE_OPERATORS", 6))
    deadline: float = field(default_factory=lambda: float(_env("SCALE_DEADLINE", 600)))


@dataclass
class Cast:
    admin: FakeUser
    dispatchers: list[FakeUser]
    operators: list[FakeUser]
    multipliers: list[FakeUser]
    recipients: list[int]  # chats of the bulk messages
    keys: dict[str, str]  # API key name -> secret


@dataclass
class Outcomes:
    """What the actors saw, for the checks."""

    api: dict[str, list[int]] = field(default_factory=dict)  # phone -> statuses answered
    dialogs: list[tuple[int, float, float, bool]] = field(default_factory=list)
    offers_pressed: int = 0
    offer_answers: list[str] = field(default_factory=list)
    accepts: list[str] = field(default_factory=list)
    burst: list[int] = field(default_factory=list)  # one key's statuses past its limit
    burst_seconds: float = 0.0  # how long the burst took (the bucket refills 1/s meanwhile)
    errors: list[str] = field(default_factory=list)  # an actor that could not go on
    # answers that never came because their replica died after committing the change (README:
    # what a handler does after its first commit is at most once); the change is stored
    lost_answers: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # when each part was done (s)
    lag: list[float] = field(default_factory=list)  # the test process's event loop, late by
    stalls: list[tuple[float, float]] = field(default_factory=list)

    async def guard(self, what: str, action: "asyncio.Future | object") -> None:
        """Run one actor's step; a failure is noted (and fails the test), the actor goes on."""
        try:
            await action  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - reported with what it was doing
            self.errors.append(f"{what}: {type(exc).__name__}: {str(exc)[:1500]}")


async def seed(factory: async_sessionmaker, fake: FakeTelegram, sizes: Sizes,
               now: datetime) -> Cast:
    """The team straight into the database (the invite flow has its own tests)."""
    async with UnitOfWork(factory) as uow:
        admin = await uow.members.add(ADMIN_ID, "Boss", None, {Role.ADMIN}, now)
        for n in range(sizes.dispatchers):
            await uow.members.add(200 + n, f"Dispatcher{n}", None, {Role.DISPATCHER}, now)
        for n in range(sizes.operators):
            await uow.members.add(300 + n, f"Operator{n}", None, {Role.OPERATOR}, now)
        for n in range(sizes.multipliers):
            m = await uow.members.add(400 + n, f"Multiplier{n}", None, {Role.MULTIPLIER}, now)
            await uow.members.save_profile(m.id, Profile(
                gender=Gender.FEMALE, languages=frozenset({"ru", "uk"}),
                areas=frozenset({AREAS[n % len(AREAS)]}), capacity=1000))
        await uow.commit()
    keys = {}
    for name in ("webform", "landing", "partner", "burst"):
        async with UnitOfWork(factory) as uow:
            keys[name] = await api_keys.create(uow, admin, name, now)
    chats = max(sizes.messages // sizes.per_chat, 1)
    return Cast(
        admin=fake.user(ADMIN_ID, "Boss"),
        dispatchers=[fake.user(200 + n, f"Dispatcher{n}") for n in range(sizes.dispatchers)],
        operators=[fake.user(300 + n, f"Operator{n}") for n in range(sizes.operators)],
        multipliers=[fake.user(400 + n, f"Multiplier{n}") for n in range(sizes.multipliers)],
        recipients=[fake.user(10_000 + n, f"Reader{n}").id for n in range(chats)], keys=keys)


def phone(n: int) -> str:
    return f"+38067{1_000_000 + n:07d}"


async def answered(wait: Awaitable[T], committed: Callable[[], Awaitable[bool]], what: str,
                   out: Outcomes) -> T | None:
    """The bot's answer; None if none came because the replica died after committing the
    change, which must then be stored; any other silence is the test's failure."""
    try:
        return await wait
    except WaitTimeout:
        if not await committed():
            raise
        out.lost_answers.append(what)
        return None


async def stored(db: AsyncEngine, sql: str, **values: object) -> bool:
    async with db.connect() as conn:
        return (await conn.execute(text(sql), values)).first() is not None


# ---------------------------------------------------------------------- intake


async def web_form(base: str, cast: Cast, sizes: Sizes, out: Outcomes, clients: int = 6) -> None:
    """The API's share of the contacts: `pairs` of them posted twice at the same instant
    under two keys (two replicas), the rest spread over the keys by a few clients."""
    first = sizes.via_new
    seekers = list(range(first, sizes.contacts))
    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(
            asyncio.gather(post(http, base, cast.keys["webform"], n, out),
                           post(http, base, cast.keys["landing"], n, out))
            for n in seekers[:sizes.pairs]))
        rest = seekers[sizes.pairs:]

        async def client(k: int) -> None:
            key = cast.keys[("webform", "landing", "partner")[k % 3]]
            for n in rest[k::clients]:
                await post(http, base, key, n, out)

        await asyncio.gather(*(client(k) for k in range(clients)))


async def post(http: aiohttp.ClientSession, base: str, key: str, n: int, out: Outcomes) -> None:
    """A careful client: the same Idempotency-Key again after a 502 (a replica died with the
    request in hand), so a retry never makes a second contact."""
    body = {"name": f"Seeker{n:04d} Test", "phone": phone(n), "language": "uk",
            "area": AREAS[n % len(AREAS)], "gender": "female"}
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": uuid.uuid4().hex}
    statuses = out.api.setdefault(phone(n), [])
    for _attempt in range(30):
        try:
            async with http.post(f"{base}/api/v1/contacts", json=body, headers=headers) as r:
                await r.read()
                statuses.append(r.status)
                if r.status not in (502, 503, 429):
                    return
                pause = float(r.headers.get("Retry-After", 0.5))
        except aiohttp.ClientError:
            statuses.append(0)
            pause = 0.5
        await asyncio.sleep(pause)


async def burst(base: str, cast: Cast, out: Outcomes, requests: int = 80) -> None:
    """One key past its per-minute limit, spread over the replicas: the limit is one
    bucket for the deployment (an empty body: nothing is stored)."""
    async with aiohttp.ClientSession() as http:
        async def once() -> int:
            async with http.post(f"{base}/api/v1/contacts", json={}, headers={
                    "Authorization": f"Bearer {cast.keys['burst']}"}) as r:
                return r.status
        started = time.monotonic()
        out.burst = list(await asyncio.gather(*(once() for _ in range(requests))))
        out.burst_seconds = time.monotonic() - started


async def operator(db: AsyncEngine, user: FakeUser, seekers: list[int], out: Outcomes) -> None:
    """/new, step by step at a person's pace: each step may land on another replica, the
    dialog state is in Redis."""
    for n in seekers:
        started = time.monotonic()
        errors = len(out.errors)
        await out.guard(f"/new by {user.first_name} for seeker {n}", new_contact(db, user, n, out))
        out.dialogs.append((user.id, started, time.monotonic(), len(out.errors) == errors))


async def new_contact(db: AsyncEngine, user: FakeUser, n: int, out: Outcomes) -> None:
    await step(user, "/new", "What is their name?")
    await step(user, f"Seeker{n:04d} Test", "How can we reach them?")
    gender = await step(user, phone(n), "Gender?")
    await asyncio.sleep(HUMAN)
    await user.press(gender, "female", timeout=ANSWER)
    language = await user.wait_reply(contains="Which language", timeout=ANSWER)
    await asyncio.sleep(HUMAN)
    await user.press(language, "Russian", timeout=ANSWER)
    await user.wait_reply(contains="Where are they", timeout=ANSWER)
    await step(user, AREAS[n % len(AREAS)], "Where did they come from")
    await step(user, "Instagram ad", "Any notes")
    await answered(step(user, "-", "Saved as #"), lambda: stored(
        db, "select id from contacts where phone = :phone", phone=phone(n)),
        f"/new saved seeker {n}", out)


async def step(user: FakeUser, said: str, expect: str) -> FakeMessage:
    await asyncio.sleep(HUMAN)
    return await user.ask(said, contains=expect, timeout=ANSWER)


# ---------------------------------------------------------------------- dispatch


class Dispatch:
    """Dispatchers take every contact waiting for dispatch: open its card from their private
    chat, press its first "Offer to …"; every fifth contact two dispatchers at once."""

    def __init__(self, fake: FakeTelegram, db: AsyncEngine, cast: Cast, out: Outcomes) -> None:
        self.fake, self.db, self.cast, self.out = fake, db, cast, out
        self.queues: list[asyncio.Queue[tuple[int, asyncio.Barrier | None]]] = [
            asyncio.Queue() for _ in cast.dispatchers]
        self.in_hand: Counter[int] = Counter()  # contact -> dispatchers still on it
        self.tries: dict[int, int] = {}

    async def run(self, stop: asyncio.Event) -> None:
        anchors = [await step(user, "/queue", "Dispatch queue") for user in self.cast.dispatchers]
        workers = [asyncio.create_task(self.worker(n, anchors[n]))
                   for n in range(len(self.cast.dispatchers))]
        turn = 0
        try:
            while not stop.is_set():
                for cid in await self.waiting():
                    self.tries[cid] = self.tries.get(cid, 0) + 1
                    pair = cid % 5 == 0 and self.tries[cid] == 1
                    barrier = asyncio.Barrier(2) if pair else None
                    for _ in range(2 if pair else 1):
                        self.in_hand[cid] += 1
                        self.queues[turn % len(self.queues)].put_nowait((cid, barrier))
                        turn += 1
                await asyncio.sleep(0.5)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def waiting(self) -> list[int]:
        """Contacts waiting for dispatch that no dispatcher is on (each tried four times
        at most: a card may have nobody left to suggest)."""
        return [cid for cid in await self.new_contacts()
                if cid not in self.in_hand and self.tries.get(cid, 0) < 4]

    async def new_contacts(self) -> list[int]:
        async with self.db.connect() as conn:
            rows = await conn.execute(text(
                "select id from contacts where status = 'new' and merged_into is null order by id"))
            return [r.id for r in rows]

    async def worker(self, n: int, anchor: FakeMessage) -> None:
        user = self.cast.dispatchers[n]
        while True:
            cid, barrier = await self.queues[n].get()
            await self.out.guard(f"{user.first_name} offering #{cid}",
                                 self.offer(user, anchor, cid, barrier))
            self.in_hand[cid] -= 1
            if not self.in_hand[cid]:
                del self.in_hand[cid]

    async def offer(self, user: FakeUser, anchor: FakeMessage, cid: int,
                    barrier: asyncio.Barrier | None) -> None:
        await asyncio.sleep(HUMAN)
        seq = self.fake.seq
        await user.press_data(anchor, OpenCard(contact_id=cid).pack(), timeout=ANSWER)
        card = await self.fake.wait_for(user.id, lambda m: (m.text or "").startswith(f"#{cid} "),
                                        after=seq, timeout=ANSWER)
        offers = buttons(card, "offer:")
        if barrier is not None:  # both dispatchers hold the card: press at once
            try:
                await asyncio.wait_for(barrier.wait(), ANSWER)
            except (TimeoutError, asyncio.BrokenBarrierError):
                pass  # the other could not open it: press alone
        if offers:
            self.out.offers_pressed += 1
            answer = await answered(
                user.press_data(card, offers[cid % len(offers)], timeout=ANSWER),
                lambda: stored(self.db, "select id from contacts where id = :id and status != "
                               "'new'", id=cid), f"offer of #{cid}", self.out)
            self.out.offer_answers.append(answer.text or "" if answer else "(lost)")


async def multiplier(fake: FakeTelegram, db: AsyncEngine, user: FakeUser, out: Outcomes) -> None:
    """Answers each offer as it arrives: mostly Yes (a double tap on every fourth), else No
    with a reason; after Yes reports "attempted", and for every other contact "reached"."""
    handled: set[int] = set()

    def new_offers() -> list[FakeMessage]:
        return [m for m in user.chat.messages if m.from_bot and m.message_id not in handled
                and buttons(m, "ans:")]

    while True:
        await asyncio.sleep(0.3)  # a look now and then: the fake's own clock must not stall
        for message in new_offers():
            handled.add(message.message_id)
            await out.guard(f"{user.first_name} answering an offer",
                            answer_offer(fake, db, user, message, out))


async def answer_offer(fake: FakeTelegram, db: AsyncEngine, user: FakeUser,
                       message: FakeMessage, out: Outcomes) -> None:
    offer_id = Answer.unpack(next(data for data in buttons(message, "ans:"))).offer_id
    yes = offer_id % 7 != 3
    presses = [user.press_data_nowait(message, Answer(offer_id=offer_id, yes=yes).pack(),
                                      timeout=ANSWER)
               for _ in range(2 if yes and offer_id % 4 == 0 else 1)]
    answers = [await answered(p.wait(), lambda: stored(
        db, "select id from offers where id = :id and status != 'pending'", id=offer_id),
        f"answer to offer {offer_id}", out) for p in presses]
    texts = [a.text or "" for a in answers if a is not None]
    if not yes:
        why = await fake.wait_until(lambda: buttons(message, "why:"), timeout=ANSWER,
                                    what="the decline reasons")
        await user.press_data(message, why[0], timeout=ANSWER)
        return
    out.accepts += texts
    async with db.connect() as conn:
        taken = (await conn.execute(text(
            "select contact_id from offers where id = :id and status = 'accepted'"),
            {"id": offer_id})).first()
    if taken is None:
        return  # the offer was gone (withdrawn): nothing to report
    contact_id = taken.contact_id
    try:
        await fake.wait_until(lambda: buttons(message, "stage:"), timeout=ANSWER,
                              what="the stage buttons")
    except WaitTimeout:  # Yes was stored, its edit lost with its replica: press anyway
        out.lost_answers.append(f"details of offer {offer_id}")
    for stage in (Status.ATTEMPTED, Status.REACHED)[:2 if contact_id % 2 else 1]:
        await asyncio.sleep(HUMAN)
        seq = fake.seq
        await answered(
            user.press_data(message, Stage(contact_id=contact_id, stage=stage).pack(),
                            timeout=ANSWER),
            lambda stage=stage: stored(db, "select id from contacts where id = :id and "
                                       "status = :status", id=contact_id, status=stage.value),
            f"stage {stage} of #{contact_id}", out)
        # the answer asks for a note, a new message after the edit: a person reads it first
        with contextlib.suppress(WaitTimeout):  # lost with its replica (at most once)
            await fake.wait_for(user.id, lambda m: bool(buttons(m, "ns:")), after=seq,
                                timeout=ANSWER)


def buttons(message: FakeMessage, prefix: str) -> list[str]:
    """The callback data of the message's buttons that start with `prefix`."""
    return [str(b["callback_data"]) for row in inline_rows(message.reply_markup) for b in row
            if str(b.get("callback_data", "")).startswith(prefix)]


# ---------------------------------------------------------------------- the queued bulk


def bulk_text(chat: int, n: int) -> str:
    return f"bulk {chat} {n}: your digest / reminder"


async def queue_bulk(factory: async_sessionmaker, cast: Cast, sizes: Sizes, now: datetime) -> set[str]:
    """Digests and reminders, as a job run for many people queues them (straight into the
    outbox, in batches); returns their texts."""
    texts = set()
    rows = [(chat, n) for n in range(sizes.per_chat) for chat in cast.recipients]
    for start in range(0, len(rows), 250):
        async with UnitOfWork(factory) as uow:
            for chat, n in rows[start:start + 250]:
                purpose = Purpose.DIGEST if n % 2 else Purpose.NOTICE
                texts.add(bulk_text(chat, n))
                await uow.outbox.add(Enqueue(chat_id=chat, text=bulk_text(chat, n),
                                             purpose=purpose, dedupe_key=f"bulk:{chat}:{n}"), now)
            await uow.commit()
    return texts
