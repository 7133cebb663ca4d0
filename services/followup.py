"""The assigned multiplier reports the seeker's path, or hands the contact back."""

from dataclasses import dataclass
from datetime import datetime

from domain.contacts import ASSIGNED_STATUSES, Contact, Status
from domain.errors import NoLongerAvailable
from domain.lifecycle import check_can_hand_back, check_can_set_stage, check_holds
from domain.meetings import NoteKind
from domain.members import Member
from domain.offers import Offer, Release
from domain.reliability import REACHED_STAGES
from domain.roles import Role
from services.access import found, require
from services.card_queue import show
from services.ports import UnitOfWork
from services.release import NAGS_RESET, back_to_dispatch, let_go, released
from services.transaction import use_case


@dataclass(frozen=True)
class StageChanged:
    contact: Contact
    #: The offer the holder said Yes to on this record (its days set the deadline the
    #: details show); None when a merge handed the record over.
    accepted: Offer | None
    #: Where the holder's message with the details is (their accepted offer's), if known: a
    #: stage pressed on a reminder leaves the reminder without them, so that letting the
    #: holder go later has one message to strip (services.release).
    details_at: tuple[int, int] | None = None


@use_case
async def set_stage(
    uow: UnitOfWork, actor: Member | None, contact_id: int, stage: Status, now: datetime
) -> StageChanged:
    actor = require(actor, Role.MULTIPLIER)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_can_set_stage(contact, actor, stage, await released(uow, contact_id, actor.id))
    moved = await uow.contacts.update_held(
        contact_id, actor.id, status=stage.value, stage_changed_at=now, stage_note="",
        **NAGS_RESET
    )
    if not moved:
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(now, actor.id, "contact", contact_id, "stage", contact.status, stage)
    if stage in REACHED_STAGES:
        await uow.offers.mark_reached(contact_id, actor.id, now)
    accepted = await uow.offers.accepted_for(contact_id)
    held_by = accepted is not None and accepted.multiplier_id == actor.id
    details_at = await uow.offers.dm(accepted.id) if accepted and held_by else None
    return await _finish(uow, contact_id, now, details_at)


@use_case
async def set_meeting(
    uow: UnitOfWork, actor: Member | None, contact_id: int, at: datetime, now: datetime
) -> StageChanged:
    """The holder says when the scheduled meeting is: its reminder waits for it
    (domain.followup_rules.stage_clock). A new time forgets the old place."""
    actor = await _holder(uow, actor, contact_id, Status.MEETING_SCHEDULED)
    if not await uow.contacts.update_held(contact_id, actor.id, meeting_at=at,
                                          meeting_place="", **NAGS_RESET):
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(now, actor.id, "contact", contact_id, "meeting", None, at.isoformat())
    return await _finish(uow, contact_id, now)


@use_case
async def add_note(
    uow: UnitOfWork, actor: Member | None, contact_id: int, stage: Status, kind: NoteKind,
    text: str, now: datetime
) -> StageChanged:
    """The short line that comes with the stage the holder just pressed: a note, the
    meeting's place, or the meeting's result. `stage` is the one it was asked for: if the
    contact moved on since, the line is refused rather than stuck to another stage."""
    actor = await _holder(uow, actor, contact_id, stage)
    column = "meeting_place" if kind is NoteKind.PLACE else "stage_note"
    if not await uow.contacts.update_held(contact_id, actor.id, **{column: text}):
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(now, actor.id, "contact", contact_id, kind.value, None, text)
    return await _finish(uow, contact_id, now)


async def _holder(uow: UnitOfWork, actor: Member | None, contact_id: int,
                  stage: Status) -> Member:
    """The presser holds the contact, and it still is in the stage the question was for."""
    actor = require(actor, Role.MULTIPLIER)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_holds(contact, actor, await released(uow, contact_id, actor.id))
    if contact.status is not stage:
        raise NoLongerAvailable(f"contact is {contact.status}")
    return actor


@use_case
async def hand_back(
    uow: UnitOfWork, actor: Member | None, contact_id: int, note: str, now: datetime
) -> StageChanged:
    """Back to the dispatchers' queue, with the multiplier's note and a fresh waiting clock.
    Their message with the details loses them, and they rank last for this seeker."""
    actor = require(actor, Role.MULTIPLIER)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_can_hand_back(contact, actor, await released(uow, contact_id, actor.id))
    if not await let_go(uow, actor.id, contact, Release.HANDED_BACK, "hand_back", now,
                        **back_to_dispatch(now, note)):
        raise NoLongerAvailable("contact moved on")
    return await _finish(uow, contact_id, now)


@use_case
async def my_contacts(uow: UnitOfWork, actor: Member | None) -> list[Contact]:
    actor = require(actor, Role.MULTIPLIER)
    contacts = await uow.contacts.assigned_to(actor.id, ASSIGNED_STATUSES)
    await uow.commit()
    return contacts


async def _finish(uow: UnitOfWork, contact_id: int, now: datetime,
                  details_at: tuple[int, int] | None = None) -> StageChanged:
    contact = found(await uow.contacts.get(contact_id), "contact")
    await show(uow, contact_id, now)
    accepted = await uow.offers.accepted_for(contact_id)
    await uow.commit()
    return StageChanged(contact, accepted, details_at)
