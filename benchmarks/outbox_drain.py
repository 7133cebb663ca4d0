"""Benchmark: drain queued messages through the outbox sender vs a naive send loop, against a
fake Bot API that enforces Telegram's flood limits (benchmarks/flood_fake.py).

    python benchmarks/outbox_drain.py [--messages 5000] [--chats 1000] [--groups 5]

Prints achieved messages/s and the number of 429 answers for both, in the same run.
"""

import argparse
import asyncio
import logging
import random
import tempfile
import time
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiohttp import web

from benchmarks.flood_fake import FloodFake
from bot.config import Settings
from domain.clock import SystemClock
from domain.outbox import Enqueue
from scheduler.limits import FloodLimits
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


async def outbox_run(chat_ids: list[int]) -> tuple[float, int, int]:
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
        sender = OutboxSender(bot, factory, SystemClock(), FloodLimits(Settings.model_fields['send_overall_per_second'].default,
                                          Settings.model_fields['send_private_interval'].default,
                                          Settings.model_fields['send_group_interval'].default),
                              poll_seconds=0.5)
        task = asyncio.create_task(sender.run())
        while fake.delivered < len(chat_ids):
            await asyncio.sleep(0.5)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await bot.session.close()
        await engine.dispose()
    await runner.cleanup()
    print("outbox 429s by limit:", dict(fake.broken))
    return fake.delivered / (fake.last - fake.started), fake.too_many, fake.delivered


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


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=5)
    args = parser.parse_args()
    chat_ids = workload(args.messages, args.chats, args.groups)
    print(f"workload: {args.messages} messages to {args.chats} private chats and "
          f"{args.groups} groups ({sum(c < 0 for c in chat_ids)} to groups)")
    logging.basicConfig(level=logging.ERROR)
    rate, too_many, delivered = await naive_run(chat_ids)
    print(f"naive loop : {rate:6.1f} delivered msg/s, {too_many:5d} x 429, "
          f"{delivered}/{len(chat_ids)} delivered")
    rate_o, too_many_o, delivered_o = await outbox_run(chat_ids)
    print(f"outbox     : {rate_o:6.1f} delivered msg/s, {too_many_o:5d} x 429, "
          f"{delivered_o}/{len(chat_ids)} delivered  (goal >= 27/s, 0 x 429)")
    print(f"ratio outbox/naive delivered: {delivered_o / max(delivered, 1):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
