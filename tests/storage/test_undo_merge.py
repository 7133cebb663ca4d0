"""Undo merge never overwrites what happened to the kept contact after the merge."""

import pytest

from domain.errors import NoLongerAvailable
from domain.merge import Prefer
from services import dispatch, merge
from storage.uow import UnitOfWork
from tests.storage.test_duplicates import COMPOSE, MERGE, QUIET, TTL, enter, members


async def merged_pair(factory, clock):  # type: ignore[no-untyped-def]
    boss, anna, _ = await members(factory, clock)
    await enter(factory, clock, boss, phone="+380441234567", area="Podil", source="ad")
    clock.advance(hours=1)
    await enter(factory, clock, boss, name="Мария Иванова", phone="+380509999999",
                area="Podil", source="web")
    async with UnitOfWork(factory) as uow:
        [suspect] = await uow.duplicates.pending_for(2)
        done = await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET,
                                 prefer=Prefer.NEWEST)
    return boss, anna, done


async def test_undo_is_refused_once_the_kept_contact_moved_on(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, done = await merged_pair(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:  # the kept contact is offered since
        await dispatch.make_offer(uow, boss, 1, anna.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable) as refused:
            await merge.undo(uow, boss, done.merge_id, clock.now())
    assert refused.value.detail == "changed_since_merge"
    async with UnitOfWork(session_factory) as uow:
        kept = await uow.contacts.get(1)
        assert (kept.status.value, kept.assignee_id, kept.details.source) == ("offered", None, "web")
        assert (await uow.contacts.get(2)).merged_into == 1


async def test_undo_is_refused_once_a_touch_added_a_contact_method(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, done = await merged_pair(session_factory, clock)
    touch = await enter(session_factory, clock, boss, phone="+380441234567",
                        email="maria@example.com")
    assert not touch.created
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await merge.undo(uow, boss, done.merge_id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.contacts.get(1)).details.email == "maria@example.com"
