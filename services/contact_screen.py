"""A contact's own screen (`/c 12`, a tap in a list, an *Open* button): the record as far as
its viewer may read it (domain.contact_access), its history as a timeline, and the actions
the viewer's role allows; and *Show card* for a card a burst held back."""

from dataclasses import dataclass
from datetime import datetime

from domain.contact_access import (
    Action,
    Visibility,
    editable_fields,
    screen_actions,
    visibility,
)
from domain.contacts import Contact, Status
from domain.members import Member
from domain.roles import DISPATCH_ROLES
from domain.timeline import Timeline, build, event
from services.access import found, require
from services.card_queue import release
from services.cards import CardView, build_card
from services.ports import UnitOfWork
from services.transaction import use_case

#: The card has dispatch buttons in these statuses (views.keyboards.card).
DISPATCHABLE = frozenset({Status.NEW, Status.OFFERED, Status.ON_HOLD})


@dataclass(frozen=True)
class Screen:
    contact: Contact
    visibility: Visibility
    actions: tuple[Action, ...]
    card: CardView  # what the team card shows: status, offers, suggestions, suspects
    timeline: Timeline
    names: dict[int, str]  # every member the timeline may name
    editable: tuple[str, ...] = ()  # the details the viewer may change (views: Edit)

    @property
    def full(self) -> bool:
        return self.visibility is Visibility.FULL


@use_case
async def open_screen(uow: UnitOfWork, actor: Member | None, contact_id: int, in_private: bool,
                      now: datetime) -> Screen:
    """Refused (domain.contact_access) for whoever may not read it here."""
    contact = found(await uow.contacts.get(contact_id), "contact")
    seen = visibility(contact, actor, in_private)
    assert actor is not None
    card = await build_card(uow, contact_id, now)
    rows = await uow.audit.for_entity("contact", contact_id)
    timeline = build([event(r.at, r.actor_id, r.action, r.before, r.after) for r in rows],
                     card.offers)
    names = {m.id: m.name for m in await uow.members.list_all()}
    await uow.commit()
    actions = screen_actions(contact, actor, seen, contact.status in DISPATCHABLE)
    editable = editable_fields(contact, actor) if seen is Visibility.FULL else ()
    return Screen(contact, seen, actions, card, timeline, names, editable)


@use_case
async def post_card(uow: UnitOfWork, actor: Member | None, contact_id: int,
                    now: datetime) -> bool:
    """*Show card*: post the team card a burst held back. False if it was not held (posted
    already, or a button from before)."""
    require(actor, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    if not contact.card_held:
        await uow.commit()
        return False
    await release(uow, contact_id, now)
    await uow.commit()
    return True
