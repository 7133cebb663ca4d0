"""While the bot runs, Python's full collections wait for the answer (bot.idle_collector):
one of 15-30 ms inside a press was the accept press's p99."""

import asyncio
import gc

from bot.idle_collector import CADENCE, NEVER
from tests.e2e.conftest import Team


async def test_a_full_collection_comes_once_the_answer_is_sent(team: Team) -> None:
    assert gc.get_threshold()[2] == NEVER  # Python starts none itself while the bot runs
    await team.admin.ask("/start", contains="Hello, Boss")
    await asyncio.sleep(0.3)  # its handler has ended (and collected, if it was time)
    full: list[int] = []  # the fake's last message when each full collection started

    def watch(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(team.fake.seq)

    for _ in range(CADENCE):
        gc.collect(1)  # as many younger collections as Python waits for
    gc.callbacks.append(watch)
    try:
        answer = await team.admin.ask("/start", contains="Hello, Boss")
        for _ in range(25):  # half a second: no update for a second would collect too
            if any(at >= answer.seq for at in full):
                break
            await asyncio.sleep(0.02)
    finally:
        gc.callbacks.remove(watch)
    assert any(at >= answer.seq for at in full)
