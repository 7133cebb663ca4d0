"""Dispatchers' actions on a contact a multiplier holds: ask for an update, reassign, close
with a reason, message the holder.

Each press names the holder the card showed, and is checked again here: the presser's role,
and that this holder still holds the contact (a stale card, or a second dispatcher, is told
it moved on). Every action is audited, and whatever the holder must read is queued in the
same transaction, in their language."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.contacts import HELD_CLOSE_REASONS, CloseReason, Contact, Status
from domain.errors import InvalidInput, NoLongerAvailable
from domain.followup_rules import dispatcher_ask
from domain.lifecycle import check_still_held
from domain.members import Member
from domain.offers import Release
from domain.roles import DISPATCH_ROLES
from services import languages, notify
from services.access import found, require
from services.card_queue import changed
from services.cards import CardView
from services.ports import UnitOfWork
from services.release import back_to_dispatch, let_go
from services.transaction import use_case

#: The holder's "how is it going?" in their locale: (locale, contact, the dispatcher's name,
#: their note or "") -> (text, the stage buttons as JSON).
ComposeAsk = Callable[[str, Contact, str, str], tuple[str, str]]
#: A dispatcher's words relayed to the holder: (locale, contact, dispatcher's name, text) -> text.
ComposeRelay = Callable[[str, Contact, str, str], str]


@dataclass(frozen=True)
class Holding:
    contact: Contact
    holder: Member


@use_case
async def holding(uow: UnitOfWork, actor: Member | None, contact_id: int,
                  holder_id: int) -> Holding:
    """Before a dialog or a confirmation: may this presser act, and does the holder the card
    showed still hold the contact?"""
    held = await _held(uow, actor, contact_id, holder_id)
    await uow.commit()
    return held


@use_case
async def before_ask(uow: UnitOfWork, actor: Member | None, contact_id: int, holder_id: int,
                     now: datetime, interval: timedelta) -> Holding:
    """As `holding`, and refused at once if an update was just asked for, rather than after
    the dispatcher typed a note."""
    held = await _held(uow, actor, contact_id, holder_id)
    dispatcher_ask(held.contact, now, interval)
    await uow.commit()
    return held


@use_case
async def ask_update(uow: UnitOfWork, actor: Member | None, contact_id: int, holder_id: int,
                     note: str, now: datetime, interval: timedelta, quiet: notify.Quiet,
                     compose: ComposeAsk) -> Holding:
    """The holder gets the stage buttons and the note; the card shows the open ask until any
    stage change answers it. It counts as a reminder (domain.followup_rules.dispatcher_ask)."""
    actor = require(actor, *DISPATCH_ROLES)
    held = await _held(uow, actor, contact_id, holder_id)
    asked = dispatcher_ask(held.contact, now, interval)
    if not await uow.contacts.update_held(contact_id, holder_id, update_requested_at=now,
                                          update_requested_by=actor.id,
                                          nag_count=asked.nag_count,
                                          last_nag_at=asked.last_nag_at):
        raise NoLongerAvailable("contact moved on")
    await uow.audit.record(now, actor.id, "contact", contact_id, "ask_update", None,
                           {"holder": holder_id, "note": note})
    text, markup = compose(await languages.of_member(uow, held.holder), held.contact,
                           actor.name, note)
    await notify.to_member(uow, held.holder, text, now, quiet, reply_markup=markup)
    await changed(uow, contact_id, now)
    await uow.commit()
    return held


@use_case
async def reassign(uow: UnitOfWork, actor: Member | None, contact_id: int, holder_id: int,
                   now: datetime) -> CardView:
    """Back to dispatch: the holder is told and loses the details; they are not suggested
    again for this seeker (a dispatcher may still pick them under Other…)."""
    actor = require(actor, *DISPATCH_ROLES)
    held = await _held(uow, actor, contact_id, holder_id)
    if not await let_go(uow, actor.id, held.contact, Release.REASSIGNED, "reassign", now,
                        **back_to_dispatch(now)):
        raise NoLongerAvailable("contact moved on")
    view = await changed(uow, contact_id, now)
    await uow.commit()
    return view


@use_case
async def close(uow: UnitOfWork, actor: Member | None, contact_id: int, holder_id: int,
                reason: CloseReason, now: datetime) -> CardView:
    """Closed with a reason; the holder is told and loses the details."""
    actor = require(actor, *DISPATCH_ROLES)
    if reason not in HELD_CLOSE_REASONS:
        raise InvalidInput("close reason")
    held = await _held(uow, actor, contact_id, holder_id)
    if not await let_go(uow, actor.id, held.contact, Release.CLOSED, f"close:{reason}", now,
                        status=Status.CLOSED.value, close_reason=reason.value,
                        stage_changed_at=now):
        raise NoLongerAvailable("contact moved on")
    view = await changed(uow, contact_id, now)
    await uow.commit()
    return view


@use_case
async def message_holder(uow: UnitOfWork, actor: Member | None, contact_id: int,
                         holder_id: int, text: str, now: datetime, quiet: notify.Quiet,
                         compose: ComposeRelay) -> Holding:
    """A one-off note from a dispatcher, relayed by the bot (quiet hours honoured)."""
    actor = require(actor, *DISPATCH_ROLES)
    held = await _held(uow, actor, contact_id, holder_id)
    await uow.audit.record(now, actor.id, "contact", contact_id, "message_holder", None,
                           {"holder": holder_id, "note": text})
    await notify.to_member(uow, held.holder,
                           lambda locale: compose(locale, held.contact, actor.name, text),
                           now, quiet)
    await uow.commit()
    return held


async def _held(uow: UnitOfWork, actor: Member | None, contact_id: int,
                holder_id: int) -> Holding:
    require(actor, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    check_still_held(contact, holder_id)
    return Holding(contact, found(await uow.members.get(holder_id), "member"))
