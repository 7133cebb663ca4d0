"""A dispatcher answers 'multiplier not responding': reassign, remind again, or more time."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.contacts import Contact
from domain.errors import NoLongerAvailable
from domain.members import Member
from domain.offers import Release
from domain.outbox import Enqueue
from domain.roles import DISPATCH_ROLES
from services import languages
from services.access import found, require
from services.card_queue import changed
from services.cards import CardView
from services.ports import UnitOfWork
from services.release import NAGS_RESET, back_to_dispatch, let_go
from services.transaction import use_case

#: Renders the reminder for a contact in the holder's locale: (text, reply markup JSON).
ComposeNag = Callable[[str, Contact], tuple[str, str]]


@dataclass(frozen=True)
class EscalationAnswered:
    contact: Contact
    card: CardView


@use_case
async def answer(uow: UnitOfWork, actor: Member | None, contact_id: int, action: str,
                 now: datetime, compose_nag: ComposeNag) -> EscalationAnswered:
    actor = require(actor, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    if contact.escalated_at is None or not contact.is_assigned or contact.assignee_id is None:
        raise NoLongerAvailable("not escalated")
    multiplier = found(await uow.members.get(contact.assignee_id), "member")
    if action == "reassign":  # as the card's Reassign: told, details gone, not suggested again
        if not await let_go(uow, actor.id, contact, Release.REASSIGNED, "escalation:reassign",
                            now, **back_to_dispatch(now)):
            raise NoLongerAvailable("contact moved on")
        return await _answered(uow, contact_id, now)
    if action == "remind":
        # the reminder sent now counts as the first nag of a fresh round
        await uow.contacts.set_fields(contact_id, escalated_at=None, last_nag_at=now, nag_count=1)
        text, markup = compose_nag(await languages.of_member(uow, multiplier), contact)
        await uow.outbox.add(Enqueue(chat_id=multiplier.tg_user_id, member_id=multiplier.id,
                                     text=text, reply_markup=markup), now)
    else:  # more time: the stage clock starts again
        await uow.contacts.set_fields(contact_id, stage_changed_at=now, **NAGS_RESET)
    await uow.audit.record(now, actor.id, "contact", contact_id, f"escalation:{action}",
                           contact.status, contact.status)
    return await _answered(uow, contact_id, now)


async def _answered(uow: UnitOfWork, contact_id: int, now: datetime) -> EscalationAnswered:
    contact = found(await uow.contacts.get(contact_id), "contact")
    card = await changed(uow, contact_id, now)
    await uow.commit()
    return EscalationAnswered(contact, card)
