"""A seeker's conversation follows a merge to the kept record (and back on undo), so their
next words reach whoever holds the kept record: the one rule (domain.seeker_privacy) asks
about the contact the conversation names."""

from domain.conversations import Kind, RelayStatus
from domain.merge import Prefer
from services import answers, dispatch, merge, seekers
from services.seekers import Inbound, Outcome
from storage.uow import UnitOfWork
from tests.storage.test_duplicates import COMPOSE, MERGE, QUIET, TTL, enter, members

MARIA_TG = 501


async def test_relay_follows_the_merge_to_the_kept_record_and_undo_brings_it_back(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    clock.advance(hours=1)
    await enter(session_factory, clock, boss, name="Мария Иванова", phone="+380509999999",
                area="Podil", tg_user_id=MARIA_TG)
    async with UnitOfWork(session_factory) as uow:  # Maria wrote in; her request became #2
        conv = await uow.conversations.add(MARIA_TG, "Maria", None, clock.now())
        await uow.conversations.set_fields(conv.id, contact_id=2)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        [suspect] = await uow.duplicates.pending_for(2)
        await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET,
                          prefer=Prefer.NEWEST)
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.conversations.get(conv.id)).contact_id == 1
    async with UnitOfWork(session_factory) as uow:  # Anna holds the kept record
        offer = (await dispatch.make_offer(uow, boss, 1, anna.id, clock.now(), 2, TTL,
                                           COMPOSE)).offer
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        got = await seekers.receive(uow, Inbound(MARIA_TG, "Maria", None, Kind.TEXT,
                                                 "Are you there?", None), 10, clock.now())
    assert got.outcome is Outcome.RELAY and got.relay_to is not None
    assert got.relay_to.id == anna.id


async def test_undo_merge_gives_the_conversation_back(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    clock.advance(hours=1)
    await enter(session_factory, clock, boss, name="Мария Иванова", phone="+380509999999",
                area="Podil", tg_user_id=MARIA_TG)
    async with UnitOfWork(session_factory) as uow:
        conv = await uow.conversations.add(MARIA_TG, "Maria", None, clock.now())
        await uow.conversations.set_fields(conv.id, contact_id=2)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        [suspect] = await uow.duplicates.pending_for(2)
        done = await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET)
    async with UnitOfWork(session_factory) as uow:
        await merge.undo(uow, boss, done.merge_id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.conversations.get(conv.id)).contact_id == 2


async def test_a_kept_record_held_by_someone_else_starts_the_relay_afresh(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Review: the moved conversation kept the other round's relay state, so the kept
    record's holder would owe an answer for a conversation they were never introduced to."""
    boss, anna, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    clock.advance(hours=1)
    await enter(session_factory, clock, boss, name="Мария Иванова", phone="+380509999999",
                area="Podil", tg_user_id=MARIA_TG)
    async with UnitOfWork(session_factory) as uow:  # Anna holds #1
        offer = (await dispatch.make_offer(uow, boss, 1, anna.id, clock.now(), 2, TTL,
                                           COMPOSE)).offer
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:  # someone talked with Maria on #2
        conv = await uow.conversations.add(MARIA_TG, "Maria", None, clock.now())
        await uow.conversations.set_fields(
            conv.id, contact_id=2, handler_since=clock.now(), first_out_at=clock.now(),
            relay_status=RelayStatus.AWAITING_SEEKER.value)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        [suspect] = await uow.duplicates.pending_for(2)
        await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET)
    async with UnitOfWork(session_factory) as uow:
        moved = await uow.conversations.get(conv.id)
    assert moved.contact_id == 1
    assert (moved.relay_status, moved.handler_since, moved.first_out_at) == \
        (RelayStatus.NONE, None, None)
