"""Urgent team messages do not wait behind bulk ones (issue #13): the outbox sender sends an
alarm queued after 200 cards for the same group before the cards still waiting."""

import asyncio
import contextlib
from types import SimpleNamespace

from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.delivery import Purpose
from domain.outbox import Enqueue
from scheduler.limits import FloodLimits
from scheduler.sender import OutboxSender
from storage.uow import UnitOfWork
from tests.conftest import FakeClock

GROUP = -100500


class RecordingBot:
    """Takes every message at once and remembers the order."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_message(self, chat_id: int, text: str, reply_markup=None):  # type: ignore[no-untyped-def]
        self.sent.append(text)
        return SimpleNamespace(message_id=len(self.sent))


async def queue(session_factory: async_sessionmaker, clock: FakeClock, *rows: Enqueue) -> None:
    async with UnitOfWork(session_factory) as uow:
        for row in rows:
            await uow.outbox.add(row, clock.now())
        await uow.commit()


async def test_an_alarm_overtakes_the_cards_queued_before_it(
        session_factory: async_sessionmaker, clock: FakeClock) -> None:
    cards = [Enqueue(chat_id=GROUP, text=f"card {n}", purpose=Purpose.CARD) for n in range(200)]
    await queue(session_factory, clock, *cards)
    bot = RecordingBot()
    sender = OutboxSender(bot, session_factory, clock,  # type: ignore[arg-type]
                          FloodLimits(1000, 0.001, 0.01), poll_seconds=0.05)
    running = asyncio.create_task(sender.run())
    try:
        while len(bot.sent) < 10:
            await asyncio.sleep(0.01)
        await queue(session_factory, clock,
                    Enqueue(chat_id=GROUP, text="escalation", purpose="alarm"))
        sent_when_queued = len(bot.sent)
        sender.wake()
        async with asyncio.timeout(20):
            while len(bot.sent) < 201:
                await asyncio.sleep(0.05)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    assert bot.sent.index("escalation") <= sent_when_queued + 5
    assert [t for t in bot.sent if t != "escalation"] == [f"card {n}" for n in range(200)]
