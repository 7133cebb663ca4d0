"""A new contact enters dispatch."""

from dataclasses import asdict
from datetime import datetime

from domain.contacts import ContactDetails
from domain.errors import InvalidInput
from domain.members import Member
from domain.roles import INTAKE_ROLES
from services.access import require
from services.areas import resolve_contact_place
from services.cards import CardView, build_card
from services.transaction import use_case
from storage.uow import UnitOfWork


@use_case
async def create_contact(
    uow: UnitOfWork, actor: Member | None, details: ContactDetails, now: datetime
) -> CardView:
    actor = require(actor, *INTAKE_ROLES)
    if not (details.phone or details.tg_username or details.email or details.tg_user_id):
        raise InvalidInput("reach")
    contact = await uow.contacts.add(details, actor.id, now)
    await uow.audit.record(now, actor.id, "contact", contact.id, "create", None, asdict(details))
    await prepare_for_dispatch(uow, contact.id, details.area)
    card = await build_card(uow, contact.id, now)
    await uow.commit()
    return card


async def prepare_for_dispatch(uow: UnitOfWork, contact_id: int, place: str) -> None:
    """Map the typed place to a known area when sure, and hand the contact to auto-dispatch
    when the team turned it on. Not committed."""
    await resolve_contact_place(uow, contact_id, place)
    if (await uow.settings.match_policy()).auto_dispatch:
        await uow.contacts.set_fields(contact_id, auto_dispatch=True)


@use_case
async def remember_card(uow: UnitOfWork, contact_id: int, chat_id: int, message_id: int) -> None:
    await uow.contacts.save_card(contact_id, chat_id, message_id)
    await uow.commit()
