"""A stop reaches the outbox sender whenever it comes, even in the instant something wakes
it: a sender that outlived its cancellation kept the bot's stop waiting forever (seen as
a hung test run; Python 3.11's `asyncio.wait_for` returns normally when the awaited thing
finished just as the cancellation arrived)."""

import asyncio

from sqlalchemy.ext.asyncio import async_sessionmaker

from scheduler.limits import FloodLimits
from scheduler.sender import OutboxSender
from tests.conftest import FakeClock


async def test_a_stop_that_meets_a_wake_still_stops_the_sender(
        session_factory: async_sessionmaker, clock: FakeClock) -> None:
    for ticks in range(6):  # the stop lands at each step of the wake's hand-over in turn
        sender = OutboxSender(None, session_factory, clock,  # type: ignore[arg-type]
                              FloodLimits(1000, 0.001, 0.001), poll_seconds=60)
        running = asyncio.create_task(sender.run())
        await asyncio.sleep(0.3)  # the first (empty) look is over: waiting to be woken
        sender.wake()
        for _ in range(ticks):
            await asyncio.sleep(0)
        running.cancel()
        await asyncio.wait([running], timeout=5)  # (waiting does not cancel it again)
        stopped = running.cancelled()
        running.cancel()  # (a second stop ends what outlived the first, not to hang here)
        await asyncio.gather(running, return_exceptions=True)
        assert stopped, f"still running {ticks} ticks after a stop that met a wake"
