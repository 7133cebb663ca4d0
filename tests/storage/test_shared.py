"""Budgets and the leader lease in Redis, shared by replicas (here: two instances in one
process, as two replicas would hold them). Needs REDIS_URL (a throwaway Redis: .ci/run
starts one); skipped without it."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest

from api.limits import SharedKeyLimits
from scheduler.limits import SharedFloodLimits

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="REDIS_URL not set: the shared (several replicas) budgets need a Redis server")


@pytest.fixture
async def redis() -> AsyncIterator[object]:
    from storage.shared import connect

    client = connect(os.environ["REDIS_URL"])
    yield client
    await client.aclose()


def budgets(redis: object, prefix: str):  # type: ignore[no-untyped-def]
    from storage.shared import Budgets

    return Budgets(redis, prefix)  # type: ignore[arg-type]


def windows(times: list[float], width: float) -> int:
    """The most events in any window of `width` seconds."""
    times = sorted(times)
    return max(sum(1 for u in times[i:] if u - t < width) for i, t in enumerate(times))


async def test_two_replicas_share_one_overall_line(redis: object) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    replicas = [SharedFloodLimits(budgets(redis, prefix), 20, 0.01, 0.01) for _ in range(2)]
    granted: list[float] = []
    loop = asyncio.get_running_loop()

    async def sender(limits: SharedFloodLimits) -> None:
        while loop.time() < stop:
            await limits.overall.acquire()
            granted.append(loop.time())

    stop = loop.time() + 2.0
    await asyncio.gather(*(sender(r) for r in replicas for _ in range(3)))
    assert windows(granted, 1.0) <= 22  # the rate plus the burst of two: not 2 x 20
    assert len(granted) >= 30  # ~42 in 2 s; a loaded machine's Redis round trips cost a few


async def test_a_chat_keeps_its_spacing_when_it_moves_to_another_replica(redis: object) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    a, b = (SharedFloodLimits(budgets(redis, prefix), 1000, 0.3, 0.5) for _ in range(2))
    loop, times = asyncio.get_running_loop(), []
    for limits in (a, b, a, b):
        async with await limits.chat_ready(42):
            times.append(loop.time())
    assert min(later - earlier for earlier, later in zip(times, times[1:])) >= 0.28
    await a.hold(-7, 0.6)  # Telegram said 429 to a: b waits too
    start = loop.time()
    async with await b.chat_ready(-7):
        assert loop.time() - start >= 0.55


async def test_a_direct_answer_takes_its_chats_turn_on_any_replica(redis: object) -> None:
    """Found by the three-replica test: a stage's answer (a direct answer from replica b)
    went out within a second of a note prompt replica a had just sent to the same chat."""
    prefix = f"test:{uuid.uuid4().hex}:"
    a, b = (SharedFloodLimits(budgets(redis, prefix), 1000, 0.5, 0.5) for _ in range(2))
    loop, times = asyncio.get_running_loop(), []
    async with await a.chat_ready(42):  # a queued message goes out from a
        times.append(loop.time())
    await b.answer_turn(42)  # b's answer to that person waits for the chat's spacing
    times.append(loop.time())
    ready = await a.chat_ready(42)  # a's next one saw the chat free, waits for its overall turn
    await b.answer_turn(42)  # meanwhile b's next answer books the turn: it comes first
    times.append(loop.time())
    async with ready:  # and a's message keeps its spacing after it
        times.append(loop.time())
    assert min(later - earlier for earlier, later in zip(times, times[1:])) >= 0.48
    assert times[-1] - times[0] < 0.5 * 3 + 0.3  # nobody waited longer than the spacing


async def test_a_slow_send_keeps_the_chats_spacing_from_where_it_came_back(
        redis: object) -> None:
    """Found by the three-replica test at full size: a message reached Telegram up to 0.6 s
    after its turn (a loaded replica), so the next one, on time, came within a second of
    it. The next send, queued or a direct answer, now starts a spacing after the previous
    one came back, on whichever replica."""
    prefix = f"test:{uuid.uuid4().hex}:"
    a, b = (SharedFloodLimits(budgets(redis, prefix), 1000, 0.4, 0.4) for _ in range(2))
    loop = asyncio.get_running_loop()
    async with await a.chat_ready(44):  # a's turn; its send is slow to come back
        await asyncio.sleep(0.3)
    await a.sent(44)
    back = loop.time()
    async with await b.chat_ready(44):  # on time for its turn, too early after the answer
        assert loop.time() - back >= 0.38
        await asyncio.sleep(0.3)  # slow to come back too
    await b.sent(44)
    back = loop.time()
    async with await a.chat_ready(45):  # meanwhile another chat is free
        pass
    await a.answer_turn(44)  # a direct answer keeps the spacing after b's send came back,
    assert loop.time() - back >= 0.38  # not only after b's turn


async def test_a_direct_answer_waits_briefly_whatever_the_chat_has_ahead(
        redis: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """A person is never kept waiting long for the outbox's traffic: past ANSWER_WAIT (a
    429's hold, a burst of answers) the answer goes, its turn still booked for the next."""
    from scheduler import limits as module

    monkeypatch.setattr(module, "ANSWER_WAIT", 0.3)
    prefix = f"test:{uuid.uuid4().hex}:"
    a, b = (SharedFloodLimits(budgets(redis, prefix), 1000, 0.5, 0.5) for _ in range(2))
    await a.hold(43, 5.0)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await b.answer_turn(43)
    assert 0.25 <= loop.time() - start < 0.6
    assert await a.budgets.peek("chat:43", 0.5) > 4.5  # a queued message still waits


async def test_the_api_key_limit_holds_across_replicas(redis: object) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    a, b = (SharedKeyLimits(budgets(redis, prefix), 3) for _ in range(2))
    answers = [await limits.take(7) for limits in (a, b, a, b)]
    assert answers[:3] == [None, None, None]
    assert answers[3] is not None and 1 <= answers[3] <= 20
    assert await b.take(8) is None  # another key has its own bucket


async def test_one_leader_and_a_takeover_after_the_lease(redis: object) -> None:
    from storage.shared import Lease

    key = f"test:{uuid.uuid4().hex}:leader"
    first, second = Lease(redis, key, "a", 0.3), Lease(redis, key, "b", 0.3)  # type: ignore[arg-type]
    assert await first.hold() and not await second.hold()
    assert await first.hold()  # renewed
    await asyncio.sleep(0.4)  # a died
    assert await second.hold() and not await first.hold()
    await second.release()
    assert await first.hold()
