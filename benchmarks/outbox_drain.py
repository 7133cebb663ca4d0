"""Benchmark: drain queued messages through the outbox sender vs a naive send loop, against a
fake Bot API that enforces Telegram's flood limits (benchmarks/flood_fake.py).

    python -m benchmarks.outbox_drain [--messages 5000] [--chats 1000] [--groups 5]

Prints achieved messages/s and the number of 429 answers for both, in the same run, and
checks the outbox against the bar: every message delivered, no 429 from the fake, and a
delivered rate of at least 0.95 x the configured overall rate (SEND_OVERALL_PER_SECOND's
default). Exits with status 1 if the bar is not met, so CI can run it (at a small size:
`--messages 200 --chats 100 --groups 2` takes about 8 s of draining).
"""

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiohttp import web

from benchmarks.flood_fake import FloodFake
from bot.app import build_i18n
from bot.config import Settings
from domain.clock import SystemClock
from domain.outbox import Enqueue
from scheduler.limits import FloodLimits
from scheduler.render import Renderer
from scheduler.sender import OutboxSender
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork


async def serve(fake: FloodFake) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(fake.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


def bot_for(url: str) -> Bot:
    return Bot("1:BENCH", session=AiohttpSession(api=TelegramAPIServer.from_base(url)))


def workload(messages: int, chats: int, groups: int, seed: int = 7) -> list[int]:
    rng = random.Random(seed)
    targets = list(range(10_000, 10_000 + chats)) + [-(10_000 + g) for g in range(groups)]
    return [rng.choice(targets) for _ in range(messages)]


BAR_SHARE = 0.95  # of the configured overall rate


def configured(field: str) -> float:
    return Settings.model_fields[field].default


def limits() -> FloodLimits:
    return FloodLimits(configured("send_overall_per_second"),
                       configured("send_private_interval"), configured("send_group_interval"))


def rate_of(fake: FloodFake) -> float:
    """Delivered messages per second, from the first delivery to the last."""
    span = fake.last - (fake.started or fake.last)
    return fake.delivered / span if span > 0 else 0.0


async def outbox_run(chat_ids: list[int], timeout: float) -> tuple[float, int, int]:
    fake = FloodFake()
    runner, url = await serve(fake)
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite+aiosqlite:///{folder}/bench.db"
        await asyncio.to_thread(upgrade, db)
        engine = create_engine(db)
        factory = create_session_factory(engine)
        now = datetime.now(UTC)
        async with UnitOfWork(factory) as uow:
            for n, chat_id in enumerate(chat_ids):
                await uow.outbox.add(Enqueue(chat_id=chat_id, text=f"m{n}"), now)
            await uow.commit()
        bot = bot_for(url)
        clock = SystemClock()
        sender = OutboxSender(bot, factory, clock, limits(), poll_seconds=0.5)
        # as bot.app does: cards and pings queued by reference are rendered when sent
        sender.render = Renderer(factory, clock, build_i18n())
        task = asyncio.create_task(sender.run())
        deadline = time.monotonic() + timeout
        while fake.delivered < len(chat_ids) and time.monotonic() < deadline:
            if task.done():  # the sender died: report what was delivered
                break
            await asyncio.sleep(0.2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await sender.idle()  # the per-chat workers it cancelled (after a timeout)
        await bot.session.close()
        await engine.dispose()
    await runner.cleanup()
    if fake.broken:
        print("outbox 429s by limit:", dict(fake.broken))
    return rate_of(fake), fake.too_many, fake.delivered


async def naive_run(chat_ids: list[int]) -> tuple[float, int, int]:
    """Send each message as soon as the previous one returned; a 429 loses the message."""
    fake = FloodFake()
    runner, url = await serve(fake)
    bot = bot_for(url)
    start = time.monotonic()
    for n, chat_id in enumerate(chat_ids):
        try:
            await bot.send_message(chat_id, f"m{n}")
        except TelegramRetryAfter:
            pass
    elapsed = time.monotonic() - start
    await bot.session.close()
    await runner.cleanup()
    return fake.delivered / elapsed, fake.too_many, fake.delivered


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=None,
                        help="give up on the outbox after this many seconds "
                             "(default: three times the ideal drain time plus 30 s)")
    parser.add_argument("--skip-naive", action="store_true", help="run the outbox only")
    args = parser.parse_args()
    rate = configured("send_overall_per_second")
    timeout = args.timeout or 3 * args.messages / rate + 30
    chat_ids = workload(args.messages, args.chats, args.groups)
    print(f"workload: {args.messages} messages to {args.chats} private chats and "
          f"{args.groups} groups ({sum(c < 0 for c in chat_ids)} to groups); "
          f"configured overall rate {rate:g}/s")
    logging.basicConfig(level=logging.ERROR)
    delivered = 0
    if not args.skip_naive:
        rate_n, too_many, delivered = await naive_run(chat_ids)
        print(f"naive loop : {rate_n:6.1f} delivered msg/s, {too_many:5d} x 429, "
              f"{delivered}/{len(chat_ids)} delivered")
    rate_o, too_many_o, delivered_o = await outbox_run(chat_ids, timeout)
    goal = BAR_SHARE * rate
    print(f"outbox     : {rate_o:6.1f} delivered msg/s, {too_many_o:5d} x 429, "
          f"{delivered_o}/{len(chat_ids)} delivered  (goal >= {goal:.1f}/s, 0 x 429)")
    if not args.skip_naive:
        print(f"ratio outbox/naive delivered: {delivered_o / max(delivered, 1):.2f}")
    failures = []
    if delivered_o < len(chat_ids):
        failures.append(f"{len(chat_ids) - delivered_o} not delivered")
    if too_many_o:
        failures.append(f"{too_many_o} x 429")
    if rate_o < goal:
        failures.append(f"rate {rate_o:.1f}/s < {goal:.1f}/s ({BAR_SHARE:g} x {rate:g}/s)")
    print("bar: " + ("met" if not failures else "NOT MET: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
