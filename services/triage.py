"""Operators handle each seeker's request once: claim, spam (mutes the sender), read, or
turn it into a contact that enters dispatch. Every action is a triage event for reports."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.contacts import Contact, ContactDetails
from domain.conversations import (
    OPEN_TRIAGE,
    TRIAGE_RESULT,
    Conversation,
    ConversationMessage,
    Direction,
    Triage,
    TriageAction,
    check_triage,
)
from domain.delivery import Purpose
from domain.errors import NoLongerAvailable
from domain.intake import MAX_NOTES
from domain.locales import language_guess
from domain.members import Member
from domain.outbox import Enqueue
from domain.seeker_privacy import holder_gone
from domain.roles import INTAKE_ROLES
from services import intake
from services.access import found, require
from services.notify import Quiet
from services.ports import UnitOfWork
from services.transaction import use_case

CARD_MESSAGES = 5  # latest messages the triage card shows


@dataclass(frozen=True)
class TriageCard:
    conversation: Conversation
    latest: list[ConversationMessage]
    count: int  # the seeker's messages in all
    names: dict[int, str]  # member id -> name (claimer, triager)
    contact: Contact | None
    holder_gone: bool = False  # its holder may no longer hear the seeker: the team reads
    #: every message, for the claimer's private copy (the card in the group masks them)
    history: list[ConversationMessage] = field(default_factory=list)


@use_case
async def triage_card(uow: UnitOfWork, conversation_id: int) -> TriageCard:
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    names: dict[int, str] = {}
    for member_id in (conv.claimed_by, conv.triaged_by):
        if member_id is not None and member_id not in names:
            member = await uow.members.get(member_id)
            names[member_id] = member.name if member else "?"
    contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
    holder = await uow.members.get(contact.assignee_id) if contact and contact.assignee_id \
        else None
    return TriageCard(
        conversation=conv,
        latest=await uow.conversations.messages(conv.id, CARD_MESSAGES, team_only=True),
        count=await uow.conversations.count_messages(conv.id, Direction.IN),
        names=names,
        contact=contact,
        holder_gone=holder_gone(contact, holder),
    )


@use_case
async def act(uow: UnitOfWork, actor: Member | None, conversation_id: int,
              action: TriageAction, now: datetime) -> TriageCard:
    """Claim, spam or read. 'contact' goes through to_contact. A claim's card carries this
    request's messages for the claimer's private copy."""
    actor = require(actor, *INTAKE_ROLES)
    conv = await _take(uow, actor, conversation_id, action, now)
    fields: dict[str, object] = {"triage": TRIAGE_RESULT[action].value}
    fields["claimed_by" if action is TriageAction.CLAIM else "triaged_by"] = actor.id
    await _move(uow, conv, **fields)
    card = await triage_card(uow, conv.id)
    if action is TriageAction.CLAIM:  # this request's words, not an earlier round's relay
        history = [m for m in await uow.conversations.messages(conv.id)
                   if m.at >= conv.round_started_at]
        card = replace(card, history=history)
    await uow.commit()
    return card


@use_case
async def to_contact(uow: UnitOfWork, actor: Member | None, conversation_id: int, source: str,
                     now: datetime, compose_touch: intake.ComposeTouch | None = None,
                     quiet: Quiet | None = None) -> tuple[intake.IntakeResult, TriageCard]:
    """Prefilled from the seeker's Telegram account, their words as the note, Telegram's
    language as the language guess and a known area their words name as the area guess
    (domain.areas.AreaMap.mentioned); the contact then enters dispatch like any other (card,
    offer, duplicate checks in intake). A seeker we already have is attached to that
    contact instead."""
    actor = require(actor, *INTAKE_ROLES)
    conv = await _take(uow, actor, conversation_id, TriageAction.CONTACT, now)
    await _move(uow, conv, triage=Triage.CONTACT.value, triaged_by=actor.id)
    said = [m.text for m in await uow.conversations.messages(conv.id)
            if m.direction is Direction.IN and m.text]
    details = ContactDetails(
        name=conv.seeker_name or str(conv.seeker_tg_id),
        given_name=conv.seeker_given_name or None,
        family_name=conv.seeker_family_name or None,
        tg_username=conv.seeker_username,
        tg_user_id=conv.seeker_tg_id,
        source=source,
        notes="\n".join(said)[:MAX_NOTES],
        language=language_guess(conv.seeker_language),
        area=await _area_guess(uow, said),
    )
    view = await intake.create_contact(uow, actor, details, now,  # commits the move too
                                       compose_touch=compose_touch, quiet=quiet)
    await uow.conversations.set_fields(conv.id, contact_id=view.contact.id)
    await uow.audit.record(now, actor.id, "conversation", conv.id, "attach", None,
                           view.contact.id)
    card = await triage_card(uow, conv.id)
    await uow.commit()
    return view, card


async def _area_guess(uow: UnitOfWork, said: list[str]) -> str:
    areas = await uow.areas.map()
    key = areas.mentioned("\n".join(said))
    return areas.name(key) if key else ""


async def _take(uow: UnitOfWork, actor: Member, conversation_id: int, action: TriageAction,
                now: datetime) -> Conversation:
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    check_triage(conv, action, actor.id)
    first = conv.triage is Triage.NEW
    waited = int((now - conv.round_started_at).total_seconds()) if first else None
    await uow.conversations.record_triage(conv.id, actor.id, action, now, waited)
    await uow.audit.record(now, actor.id, "conversation", conv.id, action.value, conv.triage,
                           TRIAGE_RESULT[action])
    return conv


async def _move(uow: UnitOfWork, conv: Conversation, **fields: object) -> None:
    expected = [conv.triage] if conv.triage in OPEN_TRIAGE else []
    if not await uow.conversations.move(conv.id, expected, **fields):
        raise NoLongerAvailable("triaged")


async def show_card(uow: UnitOfWork, conversation_id: int, now: datetime,
                    fresh: bool = False) -> None:
    """Queue the triage card's post (`fresh`: a new request gets a new card) or its redraw,
    rendered when sent, like a contact's card. Not committed. A fresh card names the row
    that posts it: a post of the old card still travelling must not be taken for it."""
    if fresh:
        await uow.conversations.set_fields(conversation_id, card_chat_id=None,
                                           card_message_id=None)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    chat_id = conv.card[0] if conv.card else await uow.settings.team_chat_id()
    if chat_id is None:
        return
    row_id = await uow.outbox.queued(Purpose.TRIAGE, conversation_id)
    if row_id is None:
        await uow.outbox.add(Enqueue(chat_id=chat_id, text="", purpose=Purpose.TRIAGE,
                                     ref_id=conversation_id), now)
        row_id = await uow.outbox.queued(Purpose.TRIAGE, conversation_id)
    if fresh:
        await uow.conversations.set_fields(conversation_id, card_row_id=row_id)
