"""The assigned multiplier reports the seeker's path, or hands the contact back."""

from dataclasses import dataclass
from datetime import datetime

from domain.contacts import ASSIGNED_STATUSES, Contact, Status
from domain.errors import NoLongerAvailable
from domain.lifecycle import check_can_hand_back, check_can_set_stage
from domain.members import Member
from domain.reliability import REACHED_STAGES
from domain.roles import Role
from services.access import found, require
from services.card_queue import changed
from services.cards import CardView
from services.ports import UnitOfWork
from services.transaction import use_case

#: Any word from the multiplier answers the nags about that contact.
NAGS_RESET = {"nag_count": 0, "last_nag_at": None, "escalated_at": None}


@dataclass(frozen=True)
class StageChanged:
    contact: Contact
    card: CardView


@use_case
async def set_stage(
    uow: UnitOfWork, actor: Member | None, contact_id: int, stage: Status, now: datetime
) -> StageChanged:
    actor = require(actor, Role.MULTIPLIER)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_can_set_stage(contact, actor, stage)
    moved = await uow.contacts.transition(
        contact_id, ASSIGNED_STATUSES, stage, stage_changed_at=now, **NAGS_RESET
    )
    if not moved:
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(now, actor.id, "contact", contact_id, "stage", contact.status, stage)
    if stage in REACHED_STAGES:
        await uow.offers.mark_reached(contact_id, actor.id, now)
    return await _finish(uow, contact_id, now)


@use_case
async def hand_back(
    uow: UnitOfWork, actor: Member | None, contact_id: int, note: str, now: datetime
) -> StageChanged:
    """Back to the dispatchers' queue, with the multiplier's note and a fresh waiting clock."""
    actor = require(actor, Role.MULTIPLIER)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_can_hand_back(contact, actor)
    moved = await uow.contacts.transition(
        contact_id,
        ASSIGNED_STATUSES,
        Status.NEW,
        assignee_id=None,
        waiting_since=now,
        stage_changed_at=now,
        dispatch_note=note,
        **NAGS_RESET,
    )
    if not moved:
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(
        now, actor.id, "contact", contact_id, "hand_back", contact.status, Status.NEW
    )
    return await _finish(uow, contact_id, now)


@use_case
async def my_contacts(uow: UnitOfWork, actor: Member | None) -> list[Contact]:
    actor = require(actor, Role.MULTIPLIER)
    contacts = await uow.contacts.assigned_to(actor.id, ASSIGNED_STATUSES)
    await uow.commit()
    return contacts


async def _finish(uow: UnitOfWork, contact_id: int, now: datetime) -> StageChanged:
    contact = found(await uow.contacts.get(contact_id), "contact")
    card = await changed(uow, contact_id, now)
    await uow.commit()
    return StageChanged(contact, card)
