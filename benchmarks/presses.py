"""Benchmark: button presses through the real bot, against the framework's own ceiling.

    python -m benchmarks.presses [--contacts 100000] [--team 300] [--dispatchers 5]
                                 [--users 40] [--steps 2000] [--alone 100]
                                 [--overall-rate 28]

The real bot (`bot.app.run`, polling) against the fake Bot API over HTTP
(tests/fake_telegram), on SQLite with `--contacts` stored contacts (2 % open: new, offered,
held), `--team` multipliers and `--dispatchers` dispatchers, seeded with bulk inserts. `--users`
simulated people act in a closed loop (each sends its next update once the previous one was
answered): 30 % offer (a dispatcher presses "Offer to ..." on a card), 30 % accept, 10 %
decline and then the reason, 30 % a follow-up stage; every 20th step of each person is also a
whole `/new` dialog (eight updates). `--steps` counts the steps of all people together.
After the crowd, `--alone` rounds of one person at a time (an offer, then its Yes), each
press sent once the bot is idle (nothing sent for 0.2 s): the latency of a press that
queues behind nobody, which a closed loop of 40 cannot show (its latency is people / rate).

Latency is measured from the fake queuing the update to the fake receiving the answer
(answerCallbackQuery for a press, the first message sent or edited in the chat for a typed
line). Then a bare aiogram bot that answers every update with one call (answerCallbackQuery
or sendMessage) runs under the same load against the same fake: the framework's ceiling.
Each bot runs in its own interpreter so that its peak RSS is its own (the fake and the load
are in both; the database is seeded by the parent process beforehand). Prints per kind
p50/p99, updates/s and peak RSS of the crowd (taken when it is done, before the people
alone), and the ratios.

The real bot keeps to Telegram's flood limits: every message it sends (a direct answer too)
takes a turn in its overall line, `--overall-rate` a second (the bot's own setting,
SEND_OVERALL_PER_SECOND, 28 by default). The bare bot does not: it sends each answer at
once, hundreds a second, which the real Telegram would answer 429. So the real bot runs
twice on the same seeded data: with its line, and with the line lifted as the bare bot
sends. The ratio to the bare bot is the second's: what the code costs against what the
framework costs. The first gives the latencies and memory of the bot as deployed, and the
fastest the crowd could go with the messages it sent at that rate: when the bot is near
it, the line sets the pace, not the code.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

TOKEN = "123456:BENCH"
GROUP = -100500
BOSS = 10
DISPATCHER_BASE = 100
MULTIPLIER_BASE = 1000
AREAS = 30
MIX = (("offer", 30), ("accept", 30), ("decline", 10), ("stage", 30))
STAGES = ("attempted", "reached", "ongoing")
ANSWER_TIMEOUT = 60  # seconds: an update not answered by then is counted as lost
KINDS = ("offer", "accept", "decline", "reason", "stage", "new", "offer alone", "accept alone")
#: The overall line's rate in the run that lifts it: no send ever waits for it.
LIFTED = 1_000_000.0
QUIET = 0.2  # seconds without a call to the fake (but getUpdates): the bot has nothing left to do


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------- the stored team


@dataclass
class Seeded:
    """What the load needs to know about the stored data: ids, and which contact is where."""

    dispatchers: list[int]  # Telegram ids
    multipliers: dict[int, int]  # member id -> Telegram id
    new: list[int] = field(default_factory=list)  # contact ids waiting for dispatch
    pending: list[tuple[int, int]] = field(default_factory=list)  # (offer id, multiplier tg)
    held: list[tuple[int, int]] = field(default_factory=list)  # (contact id, multiplier tg)


async def seed_team(url: str, team: int, dispatchers: int) -> dict[int, int]:
    """Areas, the boss, dispatchers and multipliers through the repositories; the team chat."""
    from domain.areas import Area
    from domain.members import Gender, Profile
    from domain.roles import Role
    from storage.engine import create_engine, create_session_factory
    from storage.uow import UnitOfWork

    now = datetime.now(UTC)
    engine = create_engine(url)
    rnd = random.Random(3)
    multipliers: dict[int, int] = {}
    async with UnitOfWork(create_session_factory(engine)) as uow:
        for i in range(AREAS):
            await uow.areas.save(Area(f"area {i}", f"Area {i}", "City", 50 + i / 100, 30 + i / 100))
        await uow.members.add(BOSS, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, now)
        for i in range(dispatchers):
            await uow.members.add(DISPATCHER_BASE + i, f"Dispatcher {i}", None,
                                  {Role.DISPATCHER, Role.OPERATOR}, now)
        for i in range(team):
            m = await uow.members.add(MULTIPLIER_BASE + i, f"Multiplier {i}", None,
                                      {Role.MULTIPLIER}, now)
            await uow.members.save_profile(m.id, Profile(
                gender=rnd.choice([Gender.FEMALE, Gender.MALE]),
                languages=frozenset(rnd.sample(["ru", "uk", "en"], rnd.randint(1, 2))),
                areas=frozenset(f"area {a}" for a in rnd.sample(range(AREAS), rnd.randint(1, 3))),
                capacity=10_000))
            multipliers[m.id] = m.tg_user_id
        await uow.settings.set("team_chat_id", str(GROUP))
        await uow.commit()
    await engine.dispose()
    return multipliers


def seed_contacts(path: str, n: int, multipliers: dict[int, int], boss_id: int) -> Seeded:
    """`n` contacts with bulk inserts (sqlite3 executemany): 98 % closed, each with the
    accepted offer it had; 2 % open: 40 % new, 30 % offered (a pending offer), 30 % held."""
    import sqlite3

    rnd = random.Random(5)
    now = datetime.now(UTC)
    ids = list(multipliers)
    seeded = Seeded([], multipliers)
    contacts, offers = [], []
    stamp = lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f")  # noqa: E731 - as SQLAlchemy stores it
    for cid in range(1, n + 1):
        created = now - timedelta(minutes=rnd.randint(60, 365 * 24 * 60))
        mid = rnd.choice(ids)
        roll = rnd.random()
        area = rnd.randrange(AREAS)
        if roll >= 0.02:
            status, assignee = "closed", mid
            offers.append((cid, mid, boss_id, "accepted", 2, stamp(created),
                           stamp(created + timedelta(days=2)),
                           stamp(created + timedelta(minutes=rnd.randint(5, 600))), "closed"))
        elif roll < 0.008:
            status, assignee = "new", None
            seeded.new.append(cid)
        elif roll < 0.014:
            status, assignee, created = "offered", None, now - timedelta(minutes=rnd.randint(1, 60))
            offers.append((cid, mid, boss_id, "pending", 2, stamp(created),
                           stamp(now + timedelta(days=2)), None, None))
            seeded.pending.append((len(offers), multipliers[mid]))
        else:
            status, assignee = "accepted", mid
            offers.append((cid, mid, boss_id, "accepted", 2, stamp(created),
                           stamp(created + timedelta(days=2)), stamp(created), None))
            seeded.held.append((cid, multipliers[mid]))
        given, family = f"Seeker{cid}", f"Family{cid % 997}"
        contacts.append((f"{given} {family}", given, family, f"+38050{cid:07d}",
                         rnd.choice("fm"), rnd.choice(["ru", "uk"]), f"Area {area}", "bench", "",
                         status, "done" if status == "closed" else None, "", assignee, boss_id,
                         stamp(created), stamp(created), f"area {area}", f"{cid:07d}"[-7:],
                         f"{given} {family}".lower(), given[:3].lower(), family[:3].lower(),
                         f"area {area}"))
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO contacts (name, given_name, family_name, phone, gender, language, area,"
            " source, notes, status, close_reason, dispatch_note, assignee_id, created_by,"
            " created_at, waiting_since, area_key, phone_suffix, name_key, name_block_a,"
            " name_block_b, area_norm, nag_count, auto_dispatch, auto_tries, card_held,"
            " meeting_place, stage_note) VALUES (" + ",".join("?" * 22) + ",0,0,0,0,'','')",
            contacts)
        db.executemany(
            "INSERT INTO offers (contact_id, multiplier_id, offered_by, status, days, created_at,"
            " expires_at, answered_at, release, automatic) VALUES (?,?,?,?,?,?,?,?,?,0)", offers)
    db.close()
    return seeded


# ---------------------------------------------------------------------- the load


class Load:
    """The simulated people and what they see: pools of contacts in each state, latencies."""

    def __init__(self, fake: Any, seeded: Seeded, steps: int, users: int,
                 offer_id_of: Any) -> None:
        self.fake, self.seeded, self.users = fake, seeded, users
        self.left = steps
        self.offer_id_of = offer_id_of  # contact id -> its pending offer's id (or None)
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.refused: dict[str, int] = defaultdict(int)
        self.lost: dict[str, int] = defaultdict(int)
        self.updates = 0
        self.group = fake.group(GROUP, "Dispatch team")
        self.card = self._anchor(self.group)
        self.people = {tg: fake.user(tg, f"U{tg}") for tg in
                       [BOSS, *seeded.dispatchers, *seeded.multipliers.values()]}
        self.anchors = {tg: self._anchor(self.fake.private_chat(tg)) for tg in self.people}
        self.desk_locks = {tg: asyncio.Lock() for tg in seeded.dispatchers}
        self.stage_of: dict[int, int] = {}
        self.serial = 0

    def _anchor(self, chat: Any) -> Any:
        """A bot message to press buttons on (their data is the benchmark's own)."""
        return self.fake.add_message(chat, sender=self.fake.bot_user, from_bot=True, text="card")

    async def _press(self, kind: str, tg: int, message: Any, data: str,
                     asks: bool = False) -> str | None:
        """The answer's text. `asks`: the bot's next question follows in the chat; a person
        waits for it before typing on (a real bot's dialog only)."""
        loop = asyncio.get_running_loop()
        future, question = loop.create_future(), loop.create_future()
        if asks and not self.offer_id_of.bare:
            self.fake.waiting[("c", tg)] = question
        else:
            question.set_result(0.0)
        record = self.fake.register_callback_query(self.people[tg], message, data)
        queued = time.perf_counter()
        self.fake.waiting[("q", record.id)] = future
        if not await self._answered(kind, queued, future) or not await self._answered(
                None, queued, question):
            return None
        return record.answer.text if record.answer else None

    async def _answered(self, kind: str | None, queued: float, future: asyncio.Future) -> bool:
        """Waits for the answer and notes its latency (`kind`); a lost one is counted."""
        try:
            answered = await asyncio.wait_for(future, ANSWER_TIMEOUT)
        except TimeoutError:
            self.lost[kind or "question"] += 1
            return False
        if kind is not None:
            self.latency[kind].append((answered - queued) * 1000)
            self.updates += 1
        return True

    async def _say(self, kind: str, tg: int, text: str) -> Any:
        future = asyncio.get_running_loop().create_future()
        self.fake.waiting[("c", tg)] = future
        await self.people[tg].send(text)
        await self._answered(kind, time.perf_counter(), future)
        return self.fake.private_chat(tg).messages[-1]

    async def offer(self, rnd: random.Random, kind: str = "offer") -> None:
        contact = self.seeded.new.pop(rnd.randrange(len(self.seeded.new)))
        mid, tg = rnd.choice(list(self.seeded.multipliers.items()))
        desk = rnd.choice(self.seeded.dispatchers)
        await self._press(kind, desk, self.card, f"offer:{contact}:{mid}")
        offer_id = await self.offer_id_of(contact)
        if offer_id is None:
            self.refused["offer"] += 1
            self.seeded.new.append(contact)
            return
        self.seeded.pending.append((offer_id, tg))

    async def answer(self, rnd: random.Random, yes: bool) -> None:
        offer_id, tg = self.seeded.pending.pop(rnd.randrange(len(self.seeded.pending)))
        said = await self._press("accept" if yes else "decline", tg, self.anchors[tg],
                                 f"ans:{offer_id}:{int(yes)}")
        if yes:
            if said and "details" in said or self.offer_id_of.bare:
                self.seeded.held.append((await self.offer_id_of.contact_of(offer_id), tg))
            else:
                self.refused["accept"] += 1
            return
        await self._press("reason", tg, self.anchors[tg], f"why:{offer_id}:busy")
        contact = await self.offer_id_of.contact_of(offer_id)
        if contact is not None:
            self.seeded.new.append(contact)

    async def stage(self, rnd: random.Random) -> None:
        contact, tg = rnd.choice(self.seeded.held)
        step = self.stage_of[contact] = (self.stage_of.get(contact, -1) + 1) % len(STAGES)
        said = await self._press("stage", tg, self.anchors[tg],
                                 f"stage:{contact}:{STAGES[step]}")
        if said is None or "Saved" not in said and not self.offer_id_of.bare:
            self.refused["stage"] += 1

    async def new_dialog(self, desk: int) -> None:
        """/new by a dispatcher, the whole dialog (one dialog per dispatcher at a time)."""
        async with self.desk_locks[desk]:
            self.serial += 1
            n = self.serial
            await self._say("new", desk, "/new")
            await self._say("new", desk, f"Bench Newcomer{n} Person{n}")
            asked = await self._say("new", desk, f"+38093{n:07d}")
            await self._press("new", desk, asked, "new:gender:f", asks=True)
            await self._press("new", desk, asked, "new:language:ru", asks=True)
            await self._say("new", desk, f"Area {n % AREAS}")
            await self._say("new", desk, "bench")
            await self._say("new", desk, "-")

    async def person(self, i: int) -> None:
        rnd = random.Random(100 + i)
        desk = self.seeded.dispatchers[i % len(self.seeded.dispatchers)]
        step = 0
        while self.left > 0:
            self.left -= 1
            step += 1
            if step % 20 == 0:
                await self.new_dialog(desk)
            kinds = [(k, w) for k, w in MIX if self._possible(k)]
            if not kinds:
                return
            kind = rnd.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
            if kind == "offer":
                await self.offer(rnd)
            elif kind in ("accept", "decline"):
                await self.answer(rnd, kind == "accept")
            else:
                await self.stage(rnd)

    def _possible(self, kind: str) -> bool:
        return bool({"offer": self.seeded.new, "accept": self.seeded.pending,
                     "decline": self.seeded.pending, "stage": self.seeded.held}[kind])

    async def run(self) -> float:
        started = time.perf_counter()
        await asyncio.gather(*(self.person(i) for i in range(self.users)))
        self.crowd_updates, self.crowd_rss = self.updates, peak_rss_mb()
        self.crowd_paced = self.fake.paced
        return time.perf_counter() - started

    async def alone(self, rounds: int) -> None:
        """After the crowd, one person at a time, each press once the bot is idle again (its
        queued messages sent): what a press costs when nobody is queued before it."""
        rnd = random.Random(7)
        for _ in range(rounds):
            await self._quiet()
            if not self.seeded.new:
                return
            waiting = len(self.seeded.pending)
            await self.offer(rnd, "offer alone")
            if len(self.seeded.pending) > waiting:
                offer_id, tg = self.seeded.pending.pop()
                await self._quiet()
                await self._press("accept alone", tg, self.anchors[tg], f"ans:{offer_id}:1")

    async def _quiet(self) -> None:
        while time.perf_counter() - self.fake.last_call < QUIET:
            await asyncio.sleep(QUIET / 4)


def timed_fake() -> Any:
    """The fake Bot API, noting when each awaited answer arrives (`waiting`)."""
    from scheduler.direct_answers import COUNTED
    from tests.fake_telegram import FakeTelegram

    paced_methods = {method.lower() for method in COUNTED}  # as the fake names them

    class TimedFake(FakeTelegram):
        waiting: dict[tuple[str, Any], asyncio.Future] = {}
        last_call = 0.0  # perf_counter of the last call but getUpdates
        paced = 0  # messages sent that take a turn in the bot's overall flood line

        def record_call(self, method: str, params: dict[str, Any]) -> None:
            super().record_call(method, params)
            if method != "getupdates":
                self.last_call = time.perf_counter()
            if method in paced_methods:
                self.paced += 1
            if method == "answercallbackquery":
                key: tuple[str, Any] = ("q", params.get("callback_query_id"))
            elif method in ("sendmessage", "editmessagetext"):
                key = ("c", params.get("chat_id"))
            else:
                return
            future = self.waiting.pop(key, None)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

        def check(self) -> None:  # keep only what a benchmark needs: no stored-call checks
            return

    fake = TimedFake(token=TOKEN, bot_username="bench_bot")
    fake.calls = _Discard()  # a long run would keep every call's parameters
    return fake


class _Discard(list):
    def append(self, item: Any) -> None:
        return


# ---------------------------------------------------------------------- the two bots


class DbLookups:
    """The benchmark's own reads of the stored offers (outside the measured latency), on a
    plain sqlite3 connection: a WAL reader that never takes the bot's write lock."""

    bare = False

    def __init__(self, path: str) -> None:
        import sqlite3

        self.db = sqlite3.connect(path, isolation_level=None)

    async def __call__(self, contact_id: int) -> int | None:
        row = self.db.execute("SELECT id FROM offers WHERE contact_id = ? AND status = 'pending'",
                              (contact_id,)).fetchone()
        return row[0] if row else None

    async def contact_of(self, offer_id: int) -> int | None:
        row = self.db.execute("SELECT contact_id FROM offers WHERE id = ?", (offer_id,)).fetchone()
        return row[0] if row else None


class BareLookups:
    """The bare bot stores nothing: offers get made-up ids, each standing for its contact."""

    bare = True

    def __init__(self) -> None:
        self.contact: dict[int, int] = {}
        self.next = 10**8

    async def __call__(self, contact_id: int) -> int:
        self.next += 1
        self.contact[self.next] = contact_id
        return self.next

    async def contact_of(self, offer_id: int) -> int:
        return self.contact.get(offer_id, offer_id)


async def seed(args: argparse.Namespace, tmp: str) -> None:
    """The database and what the load needs to know of it (`seeded.json`), in the parent:
    seeding 100,000 rows in Python is not the bot's memory, and peak RSS cannot forget it."""
    from storage.migrate import upgrade

    path = f"{tmp}/presses.db"
    t0 = time.perf_counter()
    await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{path}")
    multipliers = await seed_team(f"sqlite+aiosqlite:///{path}", args.team, args.dispatchers)
    seeded = seed_contacts(path, args.contacts, multipliers, boss_id=1)
    seeded.dispatchers = [DISPATCHER_BASE + i for i in range(args.dispatchers)]
    with open(f"{tmp}/seeded.json", "w") as out:
        json.dump(asdict(seeded), out)
    print(f"seeded {args.contacts:,} contacts, {args.team} multipliers, {args.dispatchers} "
          f"dispatchers in {time.perf_counter() - t0:.1f} s (in the parent process)", flush=True)


def load_seeded(tmp: str) -> Seeded:
    with open(f"{tmp}/seeded.json") as kept:
        data = json.load(kept)
    return Seeded(data["dispatchers"], {int(k): v for k, v in data["multipliers"].items()},
                  data["new"], [tuple(p) for p in data["pending"]],  # type: ignore[misc]
                  [tuple(h) for h in data["held"]])  # type: ignore[misc]


async def run_real(args: argparse.Namespace) -> dict[str, Any]:
    from bot.app import run
    from bot.config import Settings

    path = f"{args.data}/presses.db"
    seeded = load_seeded(args.data)
    async with timed_fake() as fake:
        settings = Settings(_env_file=None, bot_token=TOKEN, bot_api_base_url=fake.base_url,
                            database_url=f"sqlite+aiosqlite:///{path}", admin_ids=[BOSS],
                            log_format="text", log_level="WARNING", job_interval_seconds=86_400,
                            send_overall_per_second=args.overall_rate,
                            redis_url=None)  # one process on SQLite, even if REDIS_URL is set
        ready: asyncio.Future = asyncio.get_running_loop().create_future()
        load = Load(fake, seeded, args.steps, args.users, DbLookups(path))
        task = asyncio.create_task(run(settings, handle_signals=False,
                                       on_ready=ready.set_result))
        try:
            await asyncio.wait_for(ready, 30)
            took = await load.run()
            await load.alone(args.alone)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            load.offer_id_of.db.close()
    return report(load, took)


async def run_bare(args: argparse.Namespace) -> dict[str, Any]:
    from aiogram import Dispatcher
    from aiogram.types import CallbackQuery, Message

    seeded = fake_seeded(args)
    async with timed_fake() as fake:
        dp = Dispatcher()

        @dp.callback_query()
        async def pressed(query: CallbackQuery) -> None:
            await query.answer("ok")

        @dp.message()
        async def said(message: Message) -> None:
            await message.answer("ok")

        load = Load(fake, seeded, args.steps, args.users, BareLookups())
        async with fake.run_polling(dp, fake.create_bot()):
            took = await load.run()
            await load.alone(args.alone)
    return report(load, took)


def fake_seeded(args: argparse.Namespace) -> Seeded:
    """The same shape of pools as `seed_contacts`, without a database."""
    rnd = random.Random(5)
    multipliers = {i + 2: MULTIPLIER_BASE + i for i in range(args.team)}
    seeded = Seeded([DISPATCHER_BASE + i for i in range(args.dispatchers)], multipliers)
    tgs = list(multipliers.values())
    open_ = max(1, args.contacts // 50)
    seeded.new = list(range(1, int(open_ * 0.4) + 1))
    seeded.pending = [(10**7 + i, rnd.choice(tgs)) for i in range(int(open_ * 0.3))]
    seeded.held = [(10**6 + i, rnd.choice(tgs)) for i in range(int(open_ * 0.3))]
    return seeded


def report(load: Load, took: float) -> dict[str, Any]:
    return {
        "kinds": {k: [len(v), percentile(v, 50), percentile(v, 99)]
                  for k, v in load.latency.items()},
        "updates": load.crowd_updates, "seconds": took, "rate": load.crowd_updates / took,
        "rss": load.crowd_rss, "refused": dict(load.refused), "lost": dict(load.lost),
        "paced": load.crowd_paced,
    }


# ---------------------------------------------------------------------- the run


def child(mode: str, args: argparse.Namespace, data: str = "") -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.presses", "--mode", mode, "--data", data,
               "--contacts", str(args.contacts), "--team", str(args.team),
               "--dispatchers", str(args.dispatchers), "--users", str(args.users),
               "--steps", str(args.steps), "--alone", str(args.alone),
               "--overall-rate", str(args.overall_rate)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    lines = done.stdout.splitlines()
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


def show(name: str, result: dict[str, Any]) -> None:
    print(f"{name}: {result['updates']} updates in {result['seconds']:.1f} s = "
          f"{result['rate']:.0f} updates/s; peak RSS {result['rss']:.0f} MB")
    for kind in KINDS:
        if kind in result["kinds"]:
            n, p50, p99 = result["kinds"][kind]
            print(f"  {kind:8s} n={n:5d}  p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")
    if result["refused"]:
        print(f"  not taken (the state moved on): {result['refused']}")
    if result["lost"]:
        print(f"  LOST (no answer within {ANSWER_TIMEOUT} s): {result['lost']}")


def fresh_copy(tmp: str) -> None:
    """The seeded database again, as the first run found it."""
    for leftover in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{tmp}/presses.db{leftover}")
    shutil.copyfile(f"{tmp}/seeded.db", f"{tmp}/presses.db")


def summary(args: argparse.Namespace, real: dict[str, Any], lifted: dict[str, Any],
            bare: dict[str, Any]) -> None:
    """The goals' figures. The ratio is the code's, against the framework's: both bots
    sending as fast as they go. With the flood line, the messages the crowd makes set a
    ceiling no code can pass (Telegram would answer 429 above it), printed beside it."""
    accept = real["kinds"].get("accept", [0, 0.0, 0.0])
    alone = real["kinds"].get("accept alone", [0, 0.0, 0.0])
    bare_accept = bare["kinds"].get("accept", [0, 0.0, 0.0])
    print(f"presses / bare aiogram: {lifted['rate'] / bare['rate']:.3f} (goal >= 0.1; "
          f"flood line lifted)")
    if real["paced"]:
        fastest = real["updates"] * args.overall_rate / real["paced"]
        print(f"with the flood line: {real['rate'] / bare['rate']:.3f}; {real['paced']} "
              f"messages at {args.overall_rate:g}/s in the crowd allow at most "
              f"{fastest:.0f} updates/s, a ratio of {fastest / bare['rate']:.3f}")
    alone_p99 = f"{alone[2]:.1f} ms" if alone[0] else "- (no new contact left for them)"
    print(f"accept p99 {alone_p99} alone (goal < 15 ms with {args.contacts:,} contacts); "
          f"in the crowd {accept[2]:.1f} ms, the bare bot's {bare_accept[2]:.1f} ms")
    print(f"peak RSS above the bare bot: {real['rss'] - bare['rss']:.0f} MB (goal <= 60 MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--team", type=int, default=300)
    parser.add_argument("--dispatchers", type=int, default=5)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--steps", type=int, default=2_000)
    parser.add_argument("--alone", type=int, default=100,
                        help="offer + accept rounds by one person after the crowd")
    parser.add_argument("--overall-rate", type=float, default=28.0,
                        help="the real bot's overall flood line, messages/s (its default)")
    parser.add_argument("--mode", choices=["real", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)  # the seeded database's directory
    args = parser.parse_args()
    if args.mode:
        result = asyncio.run(run_real(args) if args.mode == "real" else run_bare(args))
        print(json.dumps(result))
        return 0
    print(f"load: {args.users} people in a closed loop, {args.steps} steps (30 % offer, 30 % "
          f"accept, 10 % decline + reason, 30 % stage; /new every 20th step of each)")
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(seed(args, tmp))
        shutil.copyfile(f"{tmp}/presses.db", f"{tmp}/seeded.db")
        real = child("real", args, tmp)
        fresh_copy(tmp)
        lifted = child("real", argparse.Namespace(**{**vars(args), "overall_rate": LIFTED}), tmp)
    show(f"bot (its flood line: {args.overall_rate:g} messages/s)", real)
    show("bot, flood line lifted (as the bare bot sends)", lifted)
    bare = child("bare", args)
    show("bare aiogram", bare)
    summary(args, real, lifted, bare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
