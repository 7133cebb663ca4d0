"""Operators handle each seeker's request once: claim, spam (mutes the sender), read, or
turn it into a contact that enters dispatch. Every action is a triage event for reports.

Make contact opens a draft (domain.conversations.ContactDraft) the operator confirms in
private, field by field; only "Send to dispatch" creates the contact, so dispatch never sees
a half-made one and the conversation is the one place the draft lives."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.contacts import Contact, ContactDetails
from domain.conversations import (
    OPEN_TRIAGE,
    TRIAGE_RESULT,
    ContactDraft,
    Conversation,
    ConversationMessage,
    Direction,
    DraftField,
    Triage,
    TriageAction,
    check_draft,
    check_triage,
    picked,
)
from domain.delivery import Purpose
from domain.errors import InvalidInput, NoLongerAvailable
from domain.areas import MAX_AREA_NAME
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
    fields: dict[str, object] = {"triage": TRIAGE_RESULT[action].value, "draft": None}
    fields["claimed_by" if action is TriageAction.CLAIM else "triaged_by"] = actor.id
    await _move(uow, conv, **fields)
    card = await triage_card(uow, conv.id)
    if action is TriageAction.CLAIM:
        card = await _with_history(uow, card, conv)
    await uow.commit()
    return card


async def _with_history(uow: UnitOfWork, card: TriageCard, conv: Conversation) -> TriageCard:
    """The card with this request's words (not an earlier round's relay), for the claimer's
    private copy."""
    history = [m for m in await uow.conversations.messages(conv.id)
               if m.at >= conv.round_started_at]
    return replace(card, history=history)


@dataclass(frozen=True)
class DraftView:
    """A contact being confirmed: the request's card and the draft as it stands."""

    card: TriageCard
    draft: ContactDraft


@use_case
async def start_contact(uow: UnitOfWork, actor: Member | None, conversation_id: int,
                        now: datetime) -> DraftView:
    """Make contact: a draft from the guesses (Telegram's language, a known area the seeker's
    words name: domain.areas.AreaMap.mentioned) for the operator to confirm in private.
    Nothing enters dispatch yet. A request nobody claimed becomes the presser's (with the
    whole conversation for their private copy, as a claim); a second press is refused."""
    actor = require(actor, *INTAKE_ROLES)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    check_triage(conv, TriageAction.CONTACT, actor.id)
    draft = ContactDraft(language=language_guess(conv.seeker_language),
                         area=await _area_guess(uow, await _said(uow, conv)))
    if conv.triage is Triage.NEW:
        await _record(uow, actor, conv, TriageAction.CLAIM, now)
    if not await uow.conversations.move(conv.id, [conv.triage], drafting=False,
                                        triage=Triage.CLAIMED.value, claimed_by=actor.id,
                                        draft=draft):
        raise NoLongerAvailable("triaged")
    await uow.audit.record(now, actor.id, "conversation", conv.id, "draft", None,
                           draft.as_dict())
    card = await triage_card(uow, conv.id)
    if conv.triage is Triage.NEW:
        card = await _with_history(uow, card, conv)
    await uow.commit()
    return DraftView(card, draft)


@use_case
async def pick(uow: UnitOfWork, actor: Member | None, conversation_id: int, field: DraftField,
               value: str, now: datetime, languages: frozenset[str] = frozenset()
               ) -> DraftView:
    """One button of the confirmation: a gender, a language (`languages`: the ones offered
    besides the guess), the area shown, or unknown."""
    actor = require(actor, *INTAKE_ROLES)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    before = check_draft(conv, actor.id)
    return await _save_draft(uow, actor, conv, before, picked(before, field, value, languages),
                             now)


@use_case
async def type_area(uow: UnitOfWork, actor: Member | None, conversation_id: int, text: str,
                    now: datetime) -> DraftView:
    """"Other…" area: the place as typed, the known area's name when the list is sure of it
    (else dispatch maps it later, as for any contact)."""
    actor = require(actor, *INTAKE_ROLES)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    before = check_draft(conv, actor.id)
    text = " ".join(text.split())[:MAX_AREA_NAME]
    if not text:
        raise InvalidInput("area")
    areas = await uow.areas.map()
    key = areas.resolve(text).key if areas.configured else None
    area = areas.name(key) if key else text
    return await _save_draft(uow, actor, conv, before, replace(before, area=area), now)


@use_case
async def draft_of(uow: UnitOfWork, actor: Member | None, conversation_id: int) -> DraftView:
    """The open draft, for its operator only ("Other…" asks them to type before it saves)."""
    actor = require(actor, *INTAKE_ROLES)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    draft = check_draft(conv, actor.id)
    return DraftView(await triage_card(uow, conv.id), draft)


@use_case
async def drop_draft(uow: UnitOfWork, actor: Member | None, conversation_id: int,
                     now: datetime) -> TriageCard:
    """The operator cannot be reached in private: the draft is dropped (the claim stays), so
    Make contact works again once they have started the bot."""
    actor = require(actor, *INTAKE_ROLES)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    before = check_draft(conv, actor.id)
    if not await uow.conversations.move(conv.id, [Triage.CLAIMED], drafting=True, draft=None):
        raise NoLongerAvailable("triaged")
    await uow.audit.record(now, actor.id, "conversation", conv.id, "draft", before.as_dict(),
                           None)
    card = await triage_card(uow, conv.id)
    await uow.commit()
    return card


async def _save_draft(uow: UnitOfWork, actor: Member, conv: Conversation, before: ContactDraft,
                      after: ContactDraft, now: datetime) -> DraftView:
    if not await uow.conversations.move(conv.id, [Triage.CLAIMED], drafting=True, draft=after):
        raise NoLongerAvailable("triaged")
    if after != before:
        await uow.audit.record(now, actor.id, "conversation", conv.id, "draft",
                               before.as_dict(), after.as_dict())
    card = await triage_card(uow, conv.id)
    await uow.commit()
    return DraftView(card, after)


@use_case
async def to_contact(uow: UnitOfWork, actor: Member | None, conversation_id: int, source: str,
                     now: datetime, compose_touch: intake.ComposeTouch | None = None,
                     quiet: Quiet | None = None) -> tuple[intake.IntakeResult, TriageCard]:
    """Send to dispatch: the confirmed draft, the seeker's Telegram account and their words
    as the note become a contact that enters dispatch like any other (card, offer,
    duplicate checks in intake); a seeker we already have is attached to that contact
    instead. The triage card in the team chat is redrawn through the outbox. A second press
    is told it was done."""
    actor = require(actor, *INTAKE_ROLES)
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    draft = check_draft(conv, actor.id)
    await _record(uow, actor, conv, TriageAction.CONTACT, now)
    if not await uow.conversations.move(conv.id, [Triage.CLAIMED], drafting=True,
                                        triage=Triage.CONTACT.value, triaged_by=actor.id,
                                        draft=None):
        raise NoLongerAvailable("triaged")
    said = await _said(uow, conv)
    details = ContactDetails(
        name=conv.seeker_name or str(conv.seeker_tg_id),
        given_name=conv.seeker_given_name or None,
        family_name=conv.seeker_family_name or None,
        tg_username=conv.seeker_username,
        tg_user_id=conv.seeker_tg_id,
        source=source,
        notes="\n".join(said)[:MAX_NOTES],
        gender=draft.gender,
        language=draft.language,
        area=draft.area,
    )
    view = await intake.create_contact(uow, actor, details, now,  # commits the move too
                                       compose_touch=compose_touch, quiet=quiet)
    await uow.conversations.set_fields(conv.id, contact_id=view.contact.id)
    await uow.audit.record(now, actor.id, "conversation", conv.id, "attach", None,
                           view.contact.id)
    await show_card(uow, conv.id, now)
    card = await triage_card(uow, conv.id)
    await uow.commit()
    return view, card


async def _said(uow: UnitOfWork, conv: Conversation) -> list[str]:
    return [m.text for m in await uow.conversations.messages(conv.id)
            if m.direction is Direction.IN and m.text]


async def _area_guess(uow: UnitOfWork, said: list[str]) -> str:
    areas = await uow.areas.map()
    key = areas.mentioned("\n".join(said))
    return areas.name(key) if key else ""


async def _take(uow: UnitOfWork, actor: Member, conversation_id: int, action: TriageAction,
                now: datetime) -> Conversation:
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    check_triage(conv, action, actor.id)
    await _record(uow, actor, conv, action, now)
    return conv


async def _record(uow: UnitOfWork, actor: Member, conv: Conversation, action: TriageAction,
                  now: datetime) -> None:
    """The triage event (with the wait, on a request's first action) and its audit row."""
    first = conv.triage is Triage.NEW
    waited = int((now - conv.round_started_at).total_seconds()) if first else None
    await uow.conversations.record_triage(conv.id, actor.id, action, now, waited)
    await uow.audit.record(now, actor.id, "conversation", conv.id, action.value, conv.triage,
                           TRIAGE_RESULT[action])


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
