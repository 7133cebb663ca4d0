"""Full collections wait for a moment no update is in hand (bot.idle_collector): one of
15-30 ms inside a press was the accept press's p99."""

import asyncio
import gc

from bot import idle_collector
from bot.idle_collector import CADENCE, NEVER, IdleCollector
from bot.middlewares.in_hand import InHandMiddleware


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def collector(clock: Clock, younger_collections: int = CADENCE) -> IdleCollector:
    return IdleCollector(quiet=0.05, most=10.0, clock=clock,
                         counts=lambda: (0, 0, younger_collections))


async def test_not_while_an_update_is_in_hand_but_once_idle() -> None:
    clock = Clock()
    idle = collector(clock)
    with idle.busy():
        clock.now += 5
        assert not idle.due()  # someone waits for this update
    assert not idle.due()  # it has only just ended
    clock.now += 0.06
    assert idle.due()


class FullCollections(list):
    """The full collections Python makes while watched."""

    def __enter__(self) -> "FullCollections":
        gc.callbacks.append(self.watch)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self.watch)

    def watch(self, phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            self.append(info)


async def test_collects_once_the_last_update_in_hand_is_answered() -> None:
    idle = collector(Clock())
    with FullCollections() as full:
        with idle.busy():
            with idle.busy():
                pass
            await asyncio.sleep(0)
            assert not full  # another person still waits
        await asyncio.sleep(0)
        assert len(full) == 1


async def test_not_when_the_next_update_came_in_first() -> None:
    idle = collector(Clock())
    with FullCollections() as full:
        with idle.busy():
            pass
        with idle.busy():  # arrived before the loop came round to collecting
            await asyncio.sleep(0)
            assert not full


async def test_under_load_that_never_stops_it_still_collects_now_and_then() -> None:
    clock = Clock()
    idle = collector(clock)
    with idle.busy():
        clock.now += 9.9
        assert not idle.due()
        clock.now += 0.2
        assert idle.due()


def test_not_before_python_itself_would_have_collected() -> None:
    clock = Clock()
    idle = collector(clock, younger_collections=CADENCE - 1)
    clock.now += 100
    assert not idle.due()


async def test_the_middleware_marks_the_update_in_hand() -> None:
    clock = Clock()
    idle = collector(clock)
    seen = []

    async def handler(event, data):  # type: ignore[no-untyped-def]
        seen.append(idle.in_hand)
        return "answered"

    assert await InHandMiddleware(idle)(handler, object(), {}) == "answered"  # type: ignore[arg-type]
    assert seen == [1] and idle.in_hand == 0


async def test_running_it_turns_pythons_full_collection_off_and_back_on() -> None:
    young, middle, _ = gc.get_threshold()
    first, second = IdleCollector(quiet=0, check=0.01), IdleCollector(quiet=0, check=0.01)
    tasks = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    try:
        with FullCollections() as full:
            await asyncio.sleep(0.02)
            assert gc.get_threshold() == (young, middle, NEVER)
            for _ in range(CADENCE + 1):
                gc.collect(1)  # as many younger collections as Python waits for
            await asyncio.sleep(0.1)
            assert full  # no update came for `quiet`: collected
        tasks[0].cancel()
        await asyncio.gather(tasks[0], return_exceptions=True)
        assert gc.get_threshold()[2] == NEVER  # the other bot's collector still runs
    finally:  # both, so that a failed assertion leaves no collector running
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert gc.get_threshold() == (young, middle, CADENCE)
    assert idle_collector._running == 0
