"""A multiplier answers an offer: Yes assigns the contact, No frees it and asks why."""

from dataclasses import dataclass
from datetime import datetime

from domain.contacts import Contact, Status
from domain.delivery import Purpose
from domain.effects import Effect
from domain.errors import NoLongerAvailable, OfferExpired
from domain.lifecycle import check_can_answer, check_can_give_reason
from domain.members import Member
from domain.offers import DeclineReason, Offer, OfferStatus
from domain.outbox import Enqueue
from domain.roles import Role
from services import notify
from services.access import found, require
from services.card_queue import show
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Answered:
    """No card: the person who answered sees their offer's message, not the team card (its
    redraw is queued; ranking the team for it was most of a press's cost)."""

    offer: Offer
    contact: Contact


@use_case
async def accept(uow: UnitOfWork, actor: Member | None, offer_id: int, now: datetime) -> Answered:
    actor = require(actor, Role.MULTIPLIER)
    offer = await _open_offer(uow, actor, offer_id, now)
    if not await uow.offers.transition(
        offer_id, OfferStatus.PENDING, OfferStatus.ACCEPTED, answered_at=now
    ):
        await _lost_race(uow, actor, offer_id, now)
    assigned = await uow.contacts.transition(
        offer.contact_id,
        [Status.OFFERED],
        Status.ACCEPTED,
        assignee_id=actor.id,
        stage_changed_at=now,
        dispatch_note="",
        auto_dispatch=False,  # done: a hand-back or reassignment goes to the dispatchers
    )
    if not assigned:
        await uow.rollback()
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(now, actor.id, "offer", offer_id, "accept", "pending", "accepted")
    await uow.audit.record(
        now, actor.id, "contact", offer.contact_id, "assign", Status.OFFERED, Status.ACCEPTED
    )
    return await _finish(uow, offer_id, now)


@use_case
async def decline(uow: UnitOfWork, actor: Member | None, offer_id: int, now: datetime,
                  quiet: notify.Quiet = notify.NO_QUIET) -> Answered:
    """The contact goes back to dispatch: real-time dispatchers hear it, and auto-dispatch
    (if it owns the contact) asks the next multiplier right after the commit."""
    actor = require(actor, Role.MULTIPLIER)
    offer = await _open_offer(uow, actor, offer_id, now)
    if not await uow.offers.transition(
        offer_id, OfferStatus.PENDING, OfferStatus.DECLINED, answered_at=now
    ):
        await _lost_race(uow, actor, offer_id, now)
    await uow.contacts.transition(offer.contact_id, [Status.OFFERED], Status.NEW)
    await uow.audit.record(now, actor.id, "offer", offer_id, "decline", "pending", "declined")
    await uow.audit.record(
        now, actor.id, "contact", offer.contact_id, "declined", Status.OFFERED, Status.NEW
    )
    await notify.to_realtime_dispatchers(uow, "", now, quiet, purpose=Purpose.DECLINED,
                                         ref_id=offer_id)
    uow.effects.add(Effect.AUTODISPATCH)
    return await _finish(uow, offer_id, now)


@use_case
async def give_reason(
    uow: UnitOfWork, actor: Member | None, offer_id: int, reason: DeclineReason, now: datetime
) -> Answered:
    actor = require(actor, Role.MULTIPLIER)
    offer = found(await uow.offers.get(offer_id), "offer")
    check_can_give_reason(offer, actor)
    if not await uow.offers.set_reason(offer_id, reason.value):
        raise NoLongerAvailable("reason already given")
    await uow.audit.record(now, actor.id, "offer", offer_id, "reason", None, reason.value)
    return await _finish(uow, offer_id, now)


@use_case
async def expire_offer(uow: UnitOfWork, offer: Offer, now: datetime,
                       quiet: notify.Quiet = notify.NO_QUIET) -> bool:
    """Lapse an offer whose time ran out, returning the contact to dispatch: the card is
    redrawn, the multiplier's buttons stop working, real-time dispatchers hear (the others
    read it in their digest). Not committed."""
    if not await uow.offers.transition(offer.id, OfferStatus.PENDING, OfferStatus.EXPIRED,
                                       answered_at=now):
        return False
    await uow.contacts.transition(offer.contact_id, [Status.OFFERED], Status.NEW)
    await uow.audit.record(now, None, "offer", offer.id, "expire", "pending", "expired")
    await uow.audit.record(
        now, None, "contact", offer.contact_id, "offer_expired", Status.OFFERED, Status.NEW
    )
    await show(uow, offer.contact_id, now)
    dm = await uow.offers.dm(offer.id)
    if dm:  # the multiplier's Yes / No stop working
        await uow.outbox.add(Enqueue(chat_id=dm[0], edit_message_id=dm[1], text="",
                                     purpose=Purpose.EXPIRED, ref_id=offer.id), now)
    await notify.to_realtime_dispatchers(uow, "", now, quiet, purpose=Purpose.EXPIRED_PING,
                                         ref_id=offer.id)
    return True


@use_case
async def due_to_expire(uow: UnitOfWork, now: datetime) -> list[Offer]:
    due = await uow.offers.due_to_expire(now)
    await uow.commit()
    return due


@use_case
async def expire_due(uow: UnitOfWork, offer: Offer, now: datetime,
                     quiet: notify.Quiet = notify.NO_QUIET) -> bool:
    """The expiry job's move for one offer, in its own transaction."""
    expired = await expire_offer(uow, offer, now, quiet)
    await uow.commit()
    return expired


async def _open_offer(uow: UnitOfWork, actor: Member, offer_id: int, now: datetime) -> Offer:
    """A press on an offer past its time expires it first, so the answer is always the truth."""
    offer = found(await uow.offers.get(offer_id), "offer")
    if offer.status is OfferStatus.PENDING and not offer.is_open(now):
        await expire_offer(uow, offer, now)
        await uow.commit()
        raise OfferExpired()
    check_can_answer(offer, actor, now)
    return offer


async def _lost_race(uow: UnitOfWork, actor: Member, offer_id: int, now: datetime) -> None:
    """Someone answered between our read and our write (PostgreSQL lets both read): say
    what happened from the stored state, e.g. 'already done' to the same person's second tap."""
    await uow.rollback()
    check_can_answer(found(await uow.offers.get(offer_id), "offer"), actor, now)
    raise NoLongerAvailable("offer answered meanwhile")


async def _finish(uow: UnitOfWork, offer_id: int, now: datetime) -> Answered:
    offer = found(await uow.offers.get(offer_id), "offer")
    contact = found(await uow.contacts.get(offer.contact_id), "contact")
    await show(uow, offer.contact_id, now)
    await uow.commit()
    return Answered(offer, contact)
