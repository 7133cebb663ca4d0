"""Benchmark: seekers writing in at once, through the intake use case on SQLite (the part
every seeker message pays: mute check, flood count, store, card data).

    python -m benchmarks.seeker_intake [--seekers 200] [--messages 5] [--flooders 20]

Each seeker sends --messages texts concurrently with everyone else; --flooders of them send
three times the flood limit. Prints messages/s, the p50/p95 latency of one message, and
checks that exactly the flood limit per flooder was stored and the rest counted.
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time

from bot.app import freeze_startup_objects
from domain.clock import SystemClock
from domain.conversations import Kind
from services import seekers
from services.seekers import Inbound
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork

LIMIT = 10


async def one(factory, clock, tg_id: int, n: int, latencies: list[float]) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    async with UnitOfWork(factory) as uow:
        await seekers.receive(uow, Inbound(tg_id, f"Seeker {tg_id}", None, Kind.TEXT,
                                           f"message {n}", None), LIMIT, clock.now())
    latencies.append(time.perf_counter() - start)


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        factory, clock, latencies = create_session_factory(engine), SystemClock(), []
        freeze_startup_objects()  # as the bot does once it is assembled
        jobs = [one(factory, clock, 10_000 + s, n, latencies)
                for n in range(args.messages) for s in range(args.seekers)]
        jobs += [one(factory, clock, 1 + f, n, latencies)
                 for n in range(3 * LIMIT) for f in range(args.flooders)]
        start = time.perf_counter()
        await asyncio.gather(*jobs)
        elapsed = time.perf_counter() - start
        async with UnitOfWork(factory) as uow:
            stored = [len(await uow.conversations.messages(c.id))
                      for c in [await uow.conversations.by_seeker(1 + f)
                                for f in range(args.flooders)] if c]
            dropped = [(await uow.conversations.by_seeker(1 + f)).dropped  # type: ignore[union-attr]
                       for f in range(args.flooders)]
        await engine.dispose()
    quantiles = statistics.quantiles(latencies, n=20)
    print(f"{len(jobs)} messages from {args.seekers + args.flooders} seekers in {elapsed:.1f} s:"
          f" {len(jobs) / elapsed:.0f} msg/s; latency p50 {quantiles[9] * 1000:.0f} ms,"
          f" p95 {quantiles[18] * 1000:.0f} ms")
    print(f"flooders: stored {set(stored)} each (limit {LIMIT}/min), dropped {set(dropped)} each")
    if args.flooders and (set(stored) != {LIMIT} or set(dropped) != {2 * LIMIT}):
        print(f"flood rule broken: expected {LIMIT} stored and {2 * LIMIT} dropped per flooder")
        return 1
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="per seeker")
    parser.add_argument("--flooders", type=int, default=20)
    sys.exit(asyncio.run(main(parser.parse_args())))
