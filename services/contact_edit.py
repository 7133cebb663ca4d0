"""Changing a contact's details after intake: who may change what (domain.contact_access),
the value checked as intake checks it (domain.contact_edit), the typed place mapped to the
team's areas, the duplicate check run again when what identifies the seeker changed, the old
and new value in the audit log, the card redrawn, and the holder told of a change made by
someone else (they are the one calling the seeker) — all in one transaction."""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime

from domain.contact_access import PrivateOnly, check_can_edit, editable_fields
from domain.contact_edit import apply, parse_value, value_of
from domain.contacts import Contact, ContactDetails
from domain.duplicates import Match
from domain.members import Member
from domain.seeker_privacy import hears_seeker
from services import notify
from services.access import found
from services.card_queue import changed, show
from services.duplicates import hold_identifiers, matches_for, record_suspects
from services.ports import UnitOfWork
from services.transaction import use_case

#: Renders the holder's notice: (locale, the contact as changed, the field, who changed it).
ComposeEdited = Callable[[str, Contact, str, str], str]


@dataclass(frozen=True)
class Editable:
    contact: Contact
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Edited:
    contact: Contact  # as it is now
    field: str
    changed: bool  # False: the value was the same
    suspects: list[Match] = field(default_factory=list)  # new possible duplicates


@use_case
async def editable(uow: UnitOfWork, actor: Member | None, contact_id: int,
                   in_private: bool) -> Editable:
    """The details `actor` may change; refused in words if none (e.g. an operator once a
    multiplier holds the contact)."""
    contact = await _target(uow, contact_id, in_private)
    fields = editable_fields(contact, actor)
    if not fields:
        check_can_edit(contact, actor, "name")  # raises the refusal that fits
    await uow.commit()
    return Editable(contact, fields)


@use_case
async def check_field(uow: UnitOfWork, actor: Member | None, contact_id: int, name: str,
                      in_private: bool) -> Contact:
    """Before asking for the value: may `actor` change this one?"""
    contact = await _target(uow, contact_id, in_private)
    check_can_edit(contact, actor, name)
    await uow.commit()
    return contact


@use_case
async def save(uow: UnitOfWork, actor: Member | None, contact_id: int, name: str, text: str,
               now: datetime, *, region: str, languages: Collection[str],
               quiet: notify.Quiet, compose: ComposeEdited) -> Edited:
    """Checked again here: the dialog may have waited while the contact changed hands."""
    contact = await _target(uow, contact_id, True)
    check_can_edit(contact, actor, name)
    assert actor is not None
    details = apply(contact.details, name, parse_value(name, text, region, languages))
    if details == contact.details:
        await uow.commit()
        return Edited(contact, name, changed=False)
    await uow.contacts.set_details(contact_id, details, **await _area_key(uow, name, details))
    await uow.audit.record(now, actor.id, "contact", contact_id, "edit",
                           {name: value_of(contact.details, name)},
                           {name: value_of(details, name)})
    suspects = await _recheck(uow, contact, details, now) \
        if _identity(details) != _identity(contact.details) else []
    after = found(await uow.contacts.get(contact_id), "contact")
    await _tell_holder(uow, actor, after, name, now, quiet, compose)
    await changed(uow, contact_id, now)
    await uow.commit()
    return Edited(after, name, changed=True, suspects=suspects)


async def _target(uow: UnitOfWork, contact_id: int, in_private: bool) -> Contact:
    if not in_private:
        raise PrivateOnly()
    return found(await uow.contacts.get(contact_id), "contact")


async def _area_key(uow: UnitOfWork, name: str, details: ContactDetails) -> dict[str, object]:
    """A new place is mapped like intake maps it: to a known area when sure; otherwise the
    card offers its guesses again."""
    if name != "area":
        return {}
    return {"area_key": (await uow.areas.map()).resolve(details.area).key if details.area
            else None}


def _identity(details: ContactDetails) -> tuple[object, ...]:
    """What duplicate detection compares (domain.identity.keys_for)."""
    return (details.name, details.phone, details.email, details.tg_username,
            details.tg_user_id, details.area)


async def _recheck(uow: UnitOfWork, contact: Contact, details: ContactDetails,
                   now: datetime) -> list[Match]:
    """Two records exist already, so even an exact match becomes a suspect for a dispatcher
    to decide (as the periodic check does): merging is never silent. An arrival of the same
    person at this instant waits for our commit (or we for its), so one of us sees the other."""
    await hold_identifiers(uow, details)
    matches = await matches_for(uow, details, exclude=contact.id)
    suspects = await record_suspects(uow, contact.id, matches, now)
    for match in suspects:  # the other card shows the pair too
        await show(uow, match.contact_id, now)
    return suspects


async def _tell_holder(uow: UnitOfWork, actor: Member, contact: Contact, name: str,
                       now: datetime, quiet: notify.Quiet, compose: ComposeEdited) -> None:
    if contact.assignee_id is None or contact.assignee_id == actor.id:
        return
    holder = await uow.members.get(contact.assignee_id)
    if holder is not None and hears_seeker(contact, holder):
        await notify.to_member(uow, holder,
                               lambda locale: compose(locale, contact, name, actor.name), now,
                               quiet)
