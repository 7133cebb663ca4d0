"""Benchmark: the HTTP intake API part of benchmarks.intake_io, served by real `dispatchbot run`
replicas (webhook mode on PostgreSQL) behind the round-robin proxy of tests/scale: one
process alone (no REDIS_URL), then one and three replicas in shared mode (Redis: leases,
locks, shared budgets, the leader), so what sharing costs and what replicas bring show apart.

    TEST_DATABASE_URL=postgresql+asyncpg://user@host/postgres REDIS_URL=redis://host/0 \\
        python -m benchmarks.api_replicas [--requests 500] [--clients 8] [--team 50]
        [--runs alone:1 shared:1 shared:3]

TEST_DATABASE_URL names a server where that user may create databases (one per run, dropped
after). Without it or REDIS_URL the benchmark says so and exits 0 (benchmarks.smoke runs it
in CI, where both are set).
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.intake_io import seed
from services import api_keys
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork
from tests.fake_telegram import FakeTelegram
from tests.scale.cluster import SECRET, Replica, RoundRobinProxy, free_port, replica_env

TOKEN = "123456:BENCH"


async def fresh_database(server: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def drop_database(server: str, url: str) -> None:
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
    await admin.dispose()


async def flush(redis_url: str) -> None:
    from storage.shared import connect

    redis = connect(redis_url)
    await redis.flushdb()
    await redis.aclose()


async def bench(server: str, redis_url: str | None, replicas: int,
                args: argparse.Namespace) -> str:
    url = await fresh_database(server)
    if redis_url:
        await flush(redis_url)
    try:
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        factory = create_session_factory(engine)
        boss = await seed(factory, args.team, datetime.now(UTC))
        async with UnitOfWork(factory) as uow:
            secret = await api_keys.create(uow, boss, "bench", datetime.now(UTC))
        await engine.dispose()
        async with FakeTelegram(token=TOKEN) as fake:
            fake.group(-100500, "Team")  # the cards go to the team chat (intake_io's seed)
            return await serve_and_post(fake, url, redis_url, secret, replicas, args)
    finally:
        await drop_database(server, url)


async def serve_and_post(fake: FakeTelegram, url: str, redis_url: str | None, secret: str,
                         replicas: int, args: argparse.Namespace) -> str:
    ports = [free_port() for _ in range(replicas)]
    proxy = RoundRobinProxy(ports)
    base = f"http://127.0.0.1:{await proxy.start()}"
    env = replica_env(BOT_TOKEN=TOKEN, BOT_API_BASE_URL=fake.base_url, DATABASE_URL=url,
                      REDIS_URL=redis_url or "", ADMIN_IDS="1", MODE="webhook", WEBHOOK_URL=base,
                      WEBHOOK_SECRET=SECRET, WEBHOOK_HOST="127.0.0.1",
                      API_RATE_PER_MINUTE="1000000", LOG_FORMAT="json", LOG_LEVEL="WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        running = [Replica(f"r{n + 1}", port, env, Path(tmp)) for n, port in enumerate(ports)]
        try:
            for replica in running:
                await replica.start()
            await asyncio.gather(*(r.ready() for r in running))
            return await post_all(base, secret, replicas, redis_url is not None, args)
        finally:
            for replica in running:
                await replica.stop()
            await proxy.stop()


async def post_all(base: str, secret: str, replicas: int, shared: bool,
                   args: argparse.Namespace) -> str:
    latencies: list[float] = []
    queue = list(range(args.requests))

    async def client(http: aiohttp.ClientSession) -> None:
        while queue:
            i = queue.pop()
            body = {"name": f"Api {i}", "phone": f"+38067{2000000 + i:07d}", "language": "uk"}
            t = time.perf_counter()
            async with http.post(f"{base}/api/v1/contacts", json=body, headers={
                    "Authorization": f"Bearer {secret}", "Idempotency-Key": uuid.uuid4().hex}) as r:
                assert r.status == 201, await r.text()
            latencies.append(time.perf_counter() - t)

    start = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(client(http) for _ in range(args.clients)))
    took = time.perf_counter() - start
    ordered = sorted(latencies)
    how = (f"{replicas} replica{'s' * (replicas > 1)} on PostgreSQL + Redis" if shared
           else "1 process alone on PostgreSQL (no Redis)")
    return (f"http api, {how}: "
            f"{args.requests} POSTs from {args.clients} clients in {took:.1f} s = "
            f"{args.requests / took:.0f} contacts/s; latency p50 "
            f"{statistics.median(ordered) * 1000:.0f} ms, "
            f"p99 {ordered[int(0.99 * (len(ordered) - 1))] * 1000:.0f} ms")


async def main(args: argparse.Namespace) -> int:
    server, redis_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (server and redis_url):
        print("api_replicas: skipped, needs TEST_DATABASE_URL (a PostgreSQL server) and "
              "REDIS_URL (replicas run only on those)")
        return 0
    for run in args.runs:
        mode, _, count = run.partition(":")
        print(await bench(server, redis_url if mode == "shared" else None, int(count or 1),
                          args), flush=True)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--team", type=int, default=50)
    parser.add_argument("--runs", nargs="+", default=["alone:1", "shared:1", "shared:3"],
                        help="alone:1 (no REDIS_URL) or shared:N (N replicas with Redis)")
    sys.exit(asyncio.run(main(parser.parse_args())))
