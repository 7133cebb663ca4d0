"""Faith milestones on a migrated SQLite file: ticked with the day and who, taken back by a
second press, both audited; counted per period and per holder; the meeting read back."""

from datetime import timedelta

import pytest

from domain.contacts import Status
from domain.errors import NoLongerAvailable
from domain.meetings import NoteKind
from domain.milestones import Milestone
from domain.reports import Period
from services import followup, holding, milestones
from storage.uow import UnitOfWork
from tests.storage.test_holding import _held_by_anna


async def test_ticks_untick_and_counts(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, contact, _ = await _held_by_anna(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await milestones.toggle(uow, anna, contact.id, Milestone.READS_BIBLE, clock.now())
    clock.advance(days=1)
    async with UnitOfWork(session_factory) as uow:  # a dispatcher ticks too
        done = await milestones.toggle(uow, boss, contact.id, Milestone.IN_GROUP, clock.now())
    assert [(r.milestone, r.by) for r in done.reached] == [
        (Milestone.READS_BIBLE, anna.id), (Milestone.IN_GROUP, boss.id)]
    async with UnitOfWork(session_factory) as uow:
        undone = await milestones.toggle(uow, anna, contact.id, Milestone.IN_GROUP, clock.now())
    assert not undone.ticked and [r.milestone for r in undone.reached] == [Milestone.READS_BIBLE]
    async with UnitOfWork(session_factory) as uow:
        day = Period(clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=1))
        week = Period(clock.now() - timedelta(days=7), clock.now() + timedelta(hours=1))
        assert await uow.milestones.reached(day) == {}
        assert await uow.milestones.reached(week) == {Milestone.READS_BIBLE: 1}
        assert await uow.milestones.reached(week, boss.id) == {}
        assert await uow.milestones.reached(week, anna.id) == {Milestone.READS_BIBLE: 1}
        audit = [(r.action, r.after) for r in await uow.audit.for_entity("contact", contact.id)]
    assert audit[-3:] == [("milestone", '"reads_bible"'), ("milestone", '"in_group"'),
                          ("milestone_off", '"in_group"')]


async def test_the_meeting_and_its_place_are_stored_and_a_stale_line_is_refused(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, contact, _ = await _held_by_anna(session_factory, clock)
    at = clock.now() + timedelta(days=2)
    async with UnitOfWork(session_factory) as uow:
        await followup.set_stage(uow, anna, contact.id, Status.MEETING_SCHEDULED, clock.now())
    async with UnitOfWork(session_factory) as uow:
        await followup.set_meeting(uow, anna, contact.id, at, clock.now())
    async with UnitOfWork(session_factory) as uow:
        done = await followup.add_note(uow, anna, contact.id, Status.MEETING_SCHEDULED,
                                       NoteKind.PLACE, "Café", clock.now())
    assert (done.contact.meeting_at, done.contact.meeting_place) == (at, "Café")
    async with UnitOfWork(session_factory) as uow:
        await holding.reassign(uow, boss, contact.id, anna.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await followup.add_note(uow, anna, contact.id, Status.MEETING_SCHEDULED,
                                    NoteKind.NOTE, "late", clock.now())
        with pytest.raises(NoLongerAvailable):
            await milestones.toggle(uow, boss, contact.id, Milestone.BAPTIZED, clock.now())
