"""Auto-dispatch: offer to the best match by itself, on a No or a lapse try the next, and after
N tries (or when nobody serves the seeker's area) hand the contact to the dispatchers.

A dispatcher's own action on the contact (offer, hold, close, withdraw) ends it for that
contact; see services.dispatch."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.contacts import Status
from domain.delivery import Purpose
from domain.errors import DomainError
from domain.members import Member
from domain.offers import Offer
from services import notify
from services.card_queue import changed, release
from services.cards import CardView, build_card
from services.dispatch import ComposeOffer, place_offer
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class AutoStep:
    card: CardView
    offer: Offer | None = None
    multiplier: Member | None = None
    handed_over: str | None = None  # why the dispatchers take over (see _hand_over_reason)


@use_case
async def waiting(uow: UnitOfWork) -> list[int]:
    ids = await uow.contacts.auto_waiting()
    await uow.commit()
    return ids


@use_case
async def step(uow: UnitOfWork, contact_id: int, now: datetime, days: int, ttl: timedelta,
               compose: ComposeOffer) -> AutoStep | None:
    """One move for one contact. Not committed: the caller adds its notices, then commits."""
    contact = await uow.contacts.get(contact_id)
    if contact is None or not contact.auto_dispatch or contact.status is not Status.NEW:
        return None
    view = await build_card(uow, contact_id, now)
    best = view.best_serving.member if view.best_serving else None
    why = _hand_over_reason(view, best)
    if why:
        if not await uow.contacts.auto_move(contact, auto_dispatch=False):
            return None  # a dispatcher or another run got there first
        await uow.audit.record(now, None, "contact", contact_id, "auto_handover", None, why)
        await release(uow, contact_id, now)  # a card a burst held back: the team needs it now
        return AutoStep(await changed(uow, contact_id, now), handed_over=why)
    assert best is not None
    days = view.policy.offer_days or days
    offer = await place_offer(uow, None, contact, best, now, days, ttl, compose)
    return AutoStep(await changed(uow, contact_id, now), offer, best)


def _hand_over_reason(view: CardView, best: Member | None) -> str | None:
    if not view.policy.auto_dispatch:
        return "off"
    if view.contact.auto_tries >= view.policy.auto_tries:
        return "tries"
    if view.suspects:
        return "duplicate"  # two multipliers calling one seeker is the failure to avoid
    if view.area_unknown:
        return "unknown_area"  # a person maps the place first
    if not view.suggestions:
        return "nobody"
    if best is None:
        return "unserved"  # whether someone far away should go is a person's judgement
    return None


#: Renders the hand-over notice: (locale, the card, why) -> text for the team chat.
ComposeHandover = Callable[[str, CardView, str], str]


@use_case
async def run_one(uow: UnitOfWork, contact_id: int, now: datetime, days: int, ttl: timedelta,
                  compose_offer: ComposeOffer, compose_handover: ComposeHandover) -> None:
    """The auto-dispatch job's move for one contact, in its own transaction: the next offer,
    or the hand-over to the dispatchers with a team-chat note."""
    try:
        done = await step(uow, contact_id, now, days, ttl, compose_offer)
    except DomainError:  # a dispatcher acted on it meanwhile
        return
    if done is not None and done.handed_over:
        card, why = done.card, done.handed_over
        await notify.to_team(uow, lambda locale: compose_handover(locale, card, why), now,
                             dedupe_key=f"auto-handover:{contact_id}:{now.isoformat()}",
                             purpose=Purpose.ALARM)
    await uow.commit()
