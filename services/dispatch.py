"""Dispatchers' actions on a contact: offer, withdraw, hold, resume, close."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.contacts import CloseReason, Contact, Status
from domain.delivery import Purpose
from domain.errors import InvalidInput, NoLongerAvailable
from domain.lifecycle import (
    OFFERABLE,
    check_can_close,
    check_can_hold,
    check_can_offer,
    check_can_resume,
    check_can_withdraw,
)
from domain.matching import Candidate
from domain.members import Member
from domain.offers import DAY_CHOICES, Offer, OfferStatus, offer_days
from domain.outbox import Enqueue
from domain.roles import DISPATCH_ROLES
from services import languages
from services.pool import close_pool
from services.access import found, require
from services.card_queue import changed, release, show
from services.cards import CardView, build_card
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class OfferMade:
    """No card: the team's redraw is queued, and the dispatcher's answer needs none."""

    offer: Offer
    multiplier: Member


#: Renders the multiplier's message for an offer, in their locale: (text, reply markup JSON).
ComposeOffer = Callable[[str, Offer, Contact], tuple[str, str]]


@use_case
async def make_offer(
    uow: UnitOfWork,
    actor: Member | None,
    contact_id: int,
    multiplier_id: int,
    now: datetime,
    days: int,
    ttl: timedelta,
    compose: ComposeOffer,
    chosen_days: int = 0,
) -> OfferMade:
    """A dispatcher's offer; it also takes the contact out of auto-dispatch's hands, and
    posts its card if a burst held it back (the team sees who has what). `days` is the
    deployment's default, `chosen_days` the dispatcher's pick with *Offer…* (0: none)."""
    actor = require(actor, *DISPATCH_ROLES)
    days = offer_days(chosen_days, await team_offer_days(uow, days))
    contact = found(await uow.contacts.get(contact_id), "contact")
    multiplier = found(await uow.members.get(multiplier_id), "member")
    offer = await place_offer(uow, actor.id, contact, multiplier, now, days, ttl, compose)
    await release(uow, contact_id, now)
    await uow.commit()
    return OfferMade(offer, multiplier)


async def team_offer_days(uow: UnitOfWork, deployment_default: int) -> int:
    """The team's default days for an offer (`/matching offer_days N`), else the deployment's."""
    return (await uow.settings.match_policy()).offer_days or deployment_default


@use_case
async def offer_choices(uow: UnitOfWork, actor: Member | None, contact_id: int, days: int,
                        now: datetime) -> tuple[CardView, list[Candidate]]:
    """*Offer…* after the dispatcher chose the days: the card and every multiplier to offer
    to, if the contact still waits and the days are on the list (a forged press is refused)."""
    contact = await _dispatchable(uow, actor, contact_id)
    if days not in DAY_CHOICES:
        raise InvalidInput("offer_days")
    if contact.status not in OFFERABLE:
        raise NoLongerAvailable("contact moved on")
    view = await build_card(uow, contact_id, now)
    candidates = await uow.members.multiplier_candidates(now)
    await uow.commit()
    return view, candidates


async def place_offer(
    uow: UnitOfWork,
    actor_id: int | None,
    contact: Contact,
    multiplier: Member,
    now: datetime,
    days: int,
    ttl: timedelta,
    compose: ComposeOffer,
) -> Offer:
    """The offer and the message that carries it, in the caller's transaction. No actor:
    auto-dispatch made it, and counts the try."""
    check_can_offer(contact, multiplier, now)
    automatic = actor_id is None
    if automatic:
        moved = await uow.contacts.auto_move(contact, status=Status.OFFERED.value,
                                             auto_tries=contact.auto_tries + 1)
    else:
        moved = await uow.contacts.transition(contact.id, OFFERABLE, Status.OFFERED,
                                              auto_dispatch=False)
    if not moved:
        raise NoLongerAvailable("contact moved on")
    await close_pool(uow, contact.id, now, actor_id)
    offer = await uow.offers.add(contact.id, multiplier.id, actor_id, days, now, now + ttl,
                                 automatic=automatic)
    action = "auto_offer" if automatic else "offer"
    await uow.audit.record(now, actor_id, "contact", contact.id, action, contact.status,
                           Status.OFFERED)
    await uow.audit.record(now, actor_id, "offer", offer.id, "create", None, offer.status)
    text, markup = compose(await languages.of_member(uow, multiplier), offer, contact)
    await uow.outbox.add(Enqueue(chat_id=multiplier.tg_user_id, member_id=multiplier.id, text=text,
                                 reply_markup=markup, purpose=Purpose.OFFER, ref_id=offer.id), now)
    return offer


@use_case
async def withdraw_offer(
    uow: UnitOfWork, actor: Member | None, offer_id: int, now: datetime, reason: str = "withdraw"
) -> None:
    actor = require(actor, *DISPATCH_ROLES)
    offer = found(await uow.offers.get(offer_id), "offer")
    check_can_withdraw(offer, now)
    await take_back(uow, actor.id, offer, now, reason)
    await uow.commit()


async def take_back(uow: UnitOfWork, actor_id: int | None, offer: Offer, now: datetime,
                    reason: str) -> None:
    """A pending offer withdrawn in the caller's transaction: the contact waits for dispatch
    again, the multiplier's Yes / No stop working and say why, the card is redrawn."""
    if not await uow.offers.transition(
        offer.id, OfferStatus.PENDING, OfferStatus.WITHDRAWN, answered_at=now
    ):
        raise NoLongerAvailable("offer answered meanwhile")
    await uow.contacts.transition(offer.contact_id, [Status.OFFERED], Status.NEW,
                                  auto_dispatch=False)
    await uow.outbox.cancel("offer", offer.id)
    await uow.audit.record(now, actor_id, "offer", offer.id, reason, offer.status, "withdrawn")
    await uow.audit.record(
        now, actor_id, "contact", offer.contact_id, reason, Status.OFFERED, Status.NEW
    )
    dm = await uow.offers.dm(offer.id)
    if dm:
        await uow.outbox.add(Enqueue(chat_id=dm[0], edit_message_id=dm[1], text="",
                                     purpose=Purpose.WITHDRAWN, ref_id=offer.id), now)
    await show(uow, offer.contact_id, now)


@use_case
async def hold(uow: UnitOfWork, actor: Member | None, contact_id: int, now: datetime) -> CardView:
    contact = await _dispatchable(uow, actor, contact_id)
    check_can_hold(contact)
    return await _move(uow, actor, contact_id, [Status.NEW], Status.ON_HOLD, now, "hold")


@use_case
async def resume(uow: UnitOfWork, actor: Member | None, contact_id: int, now: datetime) -> CardView:
    contact = await _dispatchable(uow, actor, contact_id)
    check_can_resume(contact)
    return await _move(uow, actor, contact_id, [Status.ON_HOLD], Status.NEW, now, "resume")


@use_case
async def close(
    uow: UnitOfWork, actor: Member | None, contact_id: int, reason: CloseReason, now: datetime
) -> CardView:
    contact = await _dispatchable(uow, actor, contact_id)
    check_can_close(contact)
    return await _move(
        uow, actor, contact_id, OFFERABLE, Status.CLOSED, now, f"close:{reason}",
        close_reason=reason.value,
    )


@use_case
async def card(uow: UnitOfWork, actor: Member | None, contact_id: int, now: datetime) -> CardView:
    """The card as it stands, e.g. to go back from the 'other multiplier' list."""
    contact = await _dispatchable(uow, actor, contact_id)
    view = await build_card(uow, contact_id, now, contact)
    await uow.commit()
    return view


async def _dispatchable(uow: UnitOfWork, actor: Member | None, contact_id: int):  # type: ignore[no-untyped-def]
    require(actor, *DISPATCH_ROLES)
    return found(await uow.contacts.get(contact_id), "contact")


async def _move(
    uow: UnitOfWork,
    actor: Member | None,
    contact_id: int,
    expected: frozenset[Status] | list[Status],
    to: Status,
    now: datetime,
    action: str,
    **fields: object,
) -> CardView:
    assert actor is not None
    contact = found(await uow.contacts.get(contact_id), "contact")
    if not await uow.contacts.transition(contact_id, expected, to, auto_dispatch=False, **fields):
        raise NoLongerAvailable("contact moved on")
    await close_pool(uow, contact_id, now, actor.id)  # held or closed: nobody may take it now
    await uow.audit.record(now, actor.id, "contact", contact_id, action, contact.status, to)
    view = await changed(uow, contact_id, now)
    await uow.commit()
    return view


@use_case
async def all_multipliers(uow: UnitOfWork, now: datetime) -> list[Candidate]:
    """Every active multiplier, for the dispatcher who knows better than the ranking."""
    candidates = await uow.members.multiplier_candidates(now)
    await uow.commit()
    return candidates
