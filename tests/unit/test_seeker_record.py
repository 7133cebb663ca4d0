"""The seeker's record on the fake unit of work: who may tick milestones, and a note or a
meeting refused for anyone but the holder or once the contact moved on."""

import pytest

from domain.contacts import Status
from domain.errors import NoLongerAvailable, NotAllowed
from domain.meetings import NoteKind
from domain.milestones import Milestone
from services import followup, holding, milestones
from tests.unit.test_holding import LATER, NOW, World, world  # noqa: F401


async def test_milestones_are_for_the_holder_dispatchers_and_admins(world: World) -> None:  # noqa: F811 (the fixture)
    contact_id, _ = await world.held_by(world.max)
    for who in (world.max, world.boss, world.admin):
        async with world.db.uow() as uow:
            await milestones.toggle(uow, who, contact_id, Milestone.HAS_BIBLE, NOW)
    assert [r.milestone for r in world.t.milestones] == [Milestone.HAS_BIBLE]  # on, off, on
    assert world.actions("contact", contact_id)[-3:] == ["milestone", "milestone_off", "milestone"]
    for who in (world.mia, world.oper):
        async with world.db.uow() as uow:
            with pytest.raises(NotAllowed):
                await milestones.toggle(uow, who, contact_id, Milestone.BAPTIZED, NOW)
    async with world.db.uow() as uow:
        await holding.reassign(uow, world.boss, contact_id, world.max.id, LATER)
    async with world.db.uow() as uow:  # no one holds it: an old button is refused
        with pytest.raises(NoLongerAvailable):
            await milestones.toggle(uow, world.boss, contact_id, Milestone.BAPTIZED, LATER)


async def test_a_meeting_and_a_line_only_from_the_holder_in_that_stage(world: World) -> None:  # noqa: F811 (the fixture)
    contact_id, _ = await world.held_by(world.max)
    async with world.db.uow() as uow:
        await followup.set_stage(uow, world.max, contact_id, Status.MEETING_SCHEDULED, NOW)
    async with world.db.uow() as uow:
        with pytest.raises(NotAllowed):
            await followup.set_meeting(uow, world.mia, contact_id, LATER, NOW)
    async with world.db.uow() as uow:
        done = await followup.set_meeting(uow, world.max, contact_id, LATER, NOW)
    assert done.contact.meeting_at == LATER
    async with world.db.uow() as uow:
        await followup.set_stage(uow, world.max, contact_id, Status.MET, LATER)
    async with world.db.uow() as uow:  # the place was asked before "met": too late now
        with pytest.raises(NoLongerAvailable):
            await followup.add_note(uow, world.max, contact_id, Status.MEETING_SCHEDULED,
                                    NoteKind.PLACE, "Café", LATER)
    async with world.db.uow() as uow:
        done = await followup.add_note(uow, world.max, contact_id, Status.MET, NoteKind.RESULT,
                                       "Good talk", LATER)
    assert (done.contact.stage_note, done.contact.meeting_place) == ("Good talk", "")
