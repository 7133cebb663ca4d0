"""Benchmark: contacts coming in as data, through the real use cases on SQLite.

    python -m benchmarks.intake_io [--rows 2000] [--requests 500] [--clients 8] [--team 50]

1. CSV import: a file of N rows (5% broken, 2% repeated) read, validated and imported
   row by row as `dispatchbot import` does (a burst: cards held, one summary queued).
2. HTTP API: R POSTs to /api/v1/contacts over real HTTP from C concurrent clients, each with
   its own Idempotency-Key, against the API server of api (no Telegram involved).

Names are drawn from 40 given and 60 family names (so namesakes occur, as in a real
campaign). `--one-name` names everyone "Seeker N" / "Api N" instead (digits are not part of
a name): every row has all earlier rows of its area as namesakes, the duplicate check's
worst case, which the figures before this option measured.
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime

import aiohttp
from aiogram import Bot

from api.contacts import ApiDeps
from api.limits import KeyLimits
from api.server import start_api
from bot.app import build_i18n, build_sender, freeze_startup_objects
from bot.config import Settings
from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.members import Gender, Profile
from domain.roles import Role
from scheduler.context import JobContext
from scheduler.render import Renderer
from services import api_keys
from services.importing import run_import
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork
from views.duplicate_texts import touch_notice
from views.importing import imported_notice
from views.language import for_reader


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


GIVEN = ("Maria Olena Iryna Natalia Oksana Tetiana Svitlana Anna Yulia Kateryna Olha Viktoria "
         "Daria Alina Sofia Larysa Halyna Liudmyla Nadia Vira Ivan Oleksandr Serhii Andrii "
         "Dmytro Mykola Volodymyr Petro Vasyl Yurii Oleh Maksym Artem Taras Bohdan Roman Ihor "
         "Pavlo Denys Vitalii").split()
FAMILY = ("Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Koval Boiko Oliinyk "
          "Shevchuk Polishchuk Lysenko Marchenko Rudenko Savchenko Petrenko Ivanenko Moroz "
          "Pavlenko Kharchenko Levchenko Karpenko Klymenko Ponomarenko Tkachuk Kovalchuk "
          "Savchuk Romanenko Vasylenko Hrytsenko Zinchenko Sydorenko Yakovenko Mazur Kuzmenko "
          "Shapoval Dzhus Fedorenko Prykhodko Kostenko Yurchenko Lytvynenko Nazarenko Hordiienko "
          "Demchenko Ostapenko Humeniuk Symonenko Babenko Kushnir Danylenko Ishchenko Semenko "
          "Vlasenko Korol Zhuk Slobodian Andriienko Chornyi Verbytskyi").split()


def a_name(i: int, prefix: str, one_name: bool, rnd: random.Random) -> str:
    return f"{prefix} {i}" if one_name else f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"


def csv_file(rows: int, rnd: random.Random, one_name: bool = False) -> bytes:
    lines = ["name;phone;gender;language;city;notes"]
    name = ""
    for i in range(rows):
        phone = f"+38044{1000000 + i:07d}"
        roll = rnd.random()
        if roll < 0.05:
            phone = "12"  # broken
        elif roll < 0.07 and i:
            phone = f"+38044{1000000 + i - 1:07d}"  # the person of the row before, again
        else:
            name = a_name(i, "Seeker", one_name, rnd)
        lines.append(f"{name};{phone};{rnd.choice('mf')};{rnd.choice(['ru', 'uk'])};"
                     f"Area {rnd.randint(0, 9)};from the spring campaign")
    return ("\n".join(lines) + "\n").encode()


async def seed(factory, team: int, now: datetime):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, now)
        for i in range(team):
            m = await uow.members.add(1000 + i, f"M{i}", None, {Role.MULTIPLIER}, now)
            await uow.members.save_profile(m.id, Profile(
                gender=Gender.FEMALE, languages=frozenset({"ru", "uk"}),
                areas=frozenset({f"area {i % 10}"}), capacity=1000))
        await uow.settings.set("team_chat_id", "-100500")
        await uow.commit()
    return boss


async def bench_csv(factory, settings: Settings, boss, rows: int,  # type: ignore[no-untyped-def]
                    one_name: bool = False) -> None:
    data = csv_file(rows, random.Random(7), one_name)
    start = time.perf_counter()
    table = read_table(data)
    plan = plan_import(table, "UA", "csv:bench.csv")
    planned = time.perf_counter() - start
    i18n = build_i18n()
    with i18n.context(), i18n.use_locale("en"):
        async with UnitOfWork(factory) as uow:
            start = time.perf_counter()
            report = await run_import(uow, boss, "bench.csv", table, plan, Clock().now(),
                                      settings.quiet(), for_reader(touch_notice),
                                      for_reader(imported_notice))
            took = time.perf_counter() - start
    print(f"csv import: {rows} rows ({len(data) // 1024} KiB): read+validate {planned * 1000:.0f} ms, "
          f"import {took:.1f} s = {rows / (planned + took):.0f} rows/s "
          f"({len(report.imported) / took:.0f} contacts/s stored); "
          f"{len(report.imported)} imported, {len(report.attached)} attached, "
          f"{len(report.refused)} refused")


async def bench_api(factory, settings: Settings, boss, requests: int, clients: int,  # type: ignore[no-untyped-def]
                    one_name: bool = False) -> None:
    bot = Bot("123456:BENCH")
    i18n = build_i18n()
    sender = build_sender(bot, factory, Clock(), settings)
    sender.render = Renderer(factory, Clock(), i18n)  # as bot.app does (the sender is not run)
    ctx = JobContext(bot, factory, Clock(), settings, i18n, sender)
    async with UnitOfWork(factory) as uow:
        secret = await api_keys.create(uow, boss, "bench", Clock().now())
    runner = await start_api(ApiDeps(ctx, KeyLimits(10**9)), "127.0.0.1", 0)
    port = runner.addresses[0][1]
    latencies: list[float] = []
    queue = list(range(requests))
    rnd = random.Random(11)

    async def client(http: aiohttp.ClientSession) -> None:
        while queue:
            i = queue.pop()
            body = {"name": a_name(i, "Api", one_name, rnd), "phone": f"+38067{2000000 + i:07d}",
                    "language": "uk"}
            t = time.perf_counter()
            async with http.post(f"http://127.0.0.1:{port}/api/v1/contacts", json=body, headers={
                    "Authorization": f"Bearer {secret}", "Idempotency-Key": uuid.uuid4().hex}) as r:
                assert r.status == 201, await r.text()
            latencies.append(time.perf_counter() - t)

    start = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    took = time.perf_counter() - start
    ordered = sorted(latencies)
    print(f"http api: {requests} POSTs from {clients} clients in {took:.1f} s = "
          f"{requests / took:.0f} contacts/s; latency p50 {statistics.median(ordered) * 1000:.0f} ms, "
          f"p99 {ordered[int(0.99 * (len(ordered) - 1))] * 1000:.0f} ms")
    await runner.cleanup()
    await bot.session.close()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        factory = create_session_factory(engine)
        freeze_startup_objects()  # as the bot does once it is assembled
        # one process on SQLite, even where REDIS_URL is set (CI): shared mode is api_replicas'
        settings = Settings(_env_file=None, bot_token="123456:BENCH", database_url=url,
                            redis_url=None)
        boss = await seed(factory, args.team, Clock().now())
        await bench_csv(factory, settings, boss, args.rows, args.one_name)
        await bench_api(factory, settings, boss, args.requests, args.clients, args.one_name)
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--team", type=int, default=50)
    parser.add_argument("--one-name", action="store_true",
                        help="everyone named alike: the duplicate check's worst case")
    asyncio.run(main(parser.parse_args()))
