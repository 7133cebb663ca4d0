"""Operators' counts for reports, computed from stored triage events with exact numbers;
and two operators pressing at once on one request: one wins."""

import asyncio
from datetime import timedelta

from domain.conversations import Kind, TriageAction
from domain.errors import NoLongerAvailable, NotAllowed
from domain.roles import Role
from services import seekers, triage
from services.seekers import Inbound
from storage.uow import UnitOfWork


async def write_in(factory, clock, tg_id: int, text: str) -> int:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        got = await seekers.receive(uow, Inbound(tg_id, f"Seeker {tg_id}", None, Kind.TEXT,
                                                 text, None), 10, clock.now())
    return got.conversation_id


async def test_triaged_count_median_time_and_spam_share(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    start = clock.now()
    async with UnitOfWork(session_factory) as uow:
        oleh = await uow.members.add(301, "Oleh", None, {Role.OPERATOR}, start)
        ira = await uow.members.add(302, "Ira", None, {Role.OPERATOR}, start)
        await uow.commit()
    a = await write_in(session_factory, clock, 501, "hello")
    b = await write_in(session_factory, clock, 502, "pills")
    c = await write_in(session_factory, clock, 503, "thanks")
    d = await write_in(session_factory, clock, 504, "help me")
    steps = [  # (minutes later, who, conversation, action)
        (2, oleh, a, TriageAction.CLAIM),  # waited 2 min
        (5, ira, b, TriageAction.SPAM),  # 5 min
        (9, oleh, a, TriageAction.READ),  # finishes a claim: not a second triage
        (11, oleh, c, TriageAction.SPAM),  # 11 min
        (20, ira, d, TriageAction.READ),  # 20 min
    ]
    for minutes, who, conv, action in steps:
        clock.current = start + timedelta(minutes=minutes)
        async with UnitOfWork(session_factory) as uow:
            await triage.act(uow, who, conv, action, clock.now())
    async with UnitOfWork(session_factory) as uow:
        stats = await uow.conversations.triage_stats(start, start + timedelta(days=1))
        late = await uow.conversations.triage_stats(start + timedelta(minutes=10),
                                                    start + timedelta(days=1))
    assert stats.triaged == 4
    assert stats.median_wait == timedelta(minutes=5)  # the lower median of 2, 5, 11, 20
    assert stats.spam == 2 and stats.spam_share == 0.5
    assert stats.by_member == {oleh.id: 2, ira.id: 2}
    assert (late.triaged, late.median_wait, late.spam) == (2, timedelta(minutes=11), 1)


async def test_two_operators_at_once_one_wins(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        ops = [await uow.members.add(300 + n, f"Op {n}", None, {Role.OPERATOR}, clock.now())
               for n in range(10)]
        await uow.commit()
    conv = await write_in(session_factory, clock, 501, "hello")

    async def press(member):  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            try:
                await triage.act(uow, member, conv, TriageAction.CLAIM, clock.now())
                return "won"
            except (NoLongerAvailable, NotAllowed):  # lost the race, or saw it claimed
                return "lost"

    results = await asyncio.gather(*(press(m) for m in ops))
    assert sorted(results) == ["lost"] * 9 + ["won"]
    async with UnitOfWork(session_factory) as uow:
        stats = await uow.conversations.triage_stats(clock.now(), clock.now() + timedelta(1))
    assert stats.triaged == 1


async def test_a_new_seekers_first_messages_at_once_make_one_conversation(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    await asyncio.gather(*(write_in(session_factory, clock, 501, f"m{n}") for n in range(5)))
    async with UnitOfWork(session_factory) as uow:
        conv = await uow.conversations.by_seeker(501)
        assert conv is not None
        assert [m.text for m in await uow.conversations.messages(conv.id)] != []
        assert len(await uow.conversations.messages(conv.id)) == 5
