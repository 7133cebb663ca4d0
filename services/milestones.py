"""Faith milestones, ticked beside the stages by the holder, a dispatcher or an admin: a
first press records the day, a second takes it back; both audited, the card redrawn."""

from dataclasses import dataclass
from datetime import datetime

from domain.contacts import Contact
from domain.milestones import Milestone, Reached, check_can_tick, in_order
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from services.access import found, require
from services.card_queue import changed
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Ticked:
    contact: Contact
    reached: list[Reached]  # in the path's order
    ticked: bool  # False: the press took the milestone back


@use_case
async def milestones(uow: UnitOfWork, actor: Member | None, contact_id: int) -> Ticked:
    """What the multi-select shows: the milestones reached so far."""
    contact = await _followed(uow, actor, contact_id)
    reached = in_order(await uow.milestones.of(contact_id))
    await uow.commit()
    return Ticked(contact, reached, True)


@use_case
async def toggle(uow: UnitOfWork, actor: Member | None, contact_id: int, milestone: Milestone,
                 now: datetime) -> Ticked:
    contact = await _followed(uow, actor, contact_id)
    by = actor.id if actor else None
    untick = await uow.milestones.untick(contact_id, milestone)
    if not untick:
        await uow.milestones.tick(contact_id, milestone, now, by)
    await uow.audit.record(now, by, "contact", contact_id,
                           "milestone_off" if untick else "milestone", None, milestone.value)
    await changed(uow, contact_id, now)
    reached = in_order(await uow.milestones.of(contact_id))
    await uow.commit()
    return Ticked(contact, reached, not untick)


async def _followed(uow: UnitOfWork, actor: Member | None, contact_id: int) -> Contact:
    actor = require(actor, Role.MULTIPLIER, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_can_tick(contact, actor)
    return contact
