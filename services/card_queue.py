"""Queueing a team card's post or redraw with the change that calls for it.

Only use cases call this, inside their transaction: routers and jobs never post or edit a
card themselves (a layer contract says so), the outbox sender does, rendering it when sent."""

from datetime import datetime

from domain.delivery import Purpose
from domain.outbox import Enqueue
from services.cards import CardView, build_card
from services.ports import UnitOfWork


async def show(uow: UnitOfWork, contact_id: int, now: datetime) -> None:
    """The team card must show the contact as it is: queue its post (no card yet) or its
    redraw, in the caller's transaction. One queued row per card is enough, since the
    sender renders it from the state at the moment it is sent. Not committed."""
    location = await uow.contacts.card(contact_id)
    chat_id = location[0] if location else await uow.settings.team_chat_id()
    if chat_id is None or await uow.outbox.queued(Purpose.CARD, contact_id):
        return
    await uow.outbox.add(Enqueue(chat_id=chat_id, text="", purpose=Purpose.CARD, ref_id=contact_id), now)


async def changed(uow: UnitOfWork, contact_id: int, now: datetime) -> CardView:
    """show(), then the card as the caller's answer may need it. Not committed."""
    await show(uow, contact_id, now)
    return await build_card(uow, contact_id, now)
