"""The multiplier and the seeker talk through the bot: the seeker sees only the bot, the
whole conversation is stored with the contact, and its status says who owes an answer."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.contacts import ASSIGNED_STATUSES, Contact, Status
from domain.conversations import (
    Conversation,
    ConversationMessage,
    Direction,
    Kind,
    RelayPolicy,
    RelayStatus,
    status_after_message,
    timed_status,
)
from domain.delivery import Purpose
from domain.errors import NoLongerAvailable, NotAllowed
from domain.members import Member
from domain.outbox import Enqueue
from domain.seeker_privacy import hears_request, hears_seeker
from services import languages
from services.access import found
from services.card_queue import show
from services.notify import Quiet, to_member
from services.ports import UnitOfWork
from services.triage import show_card
from services.transaction import use_case

#: Contacts closed for 'no answer' only while nobody reached the seeker yet.
CLOSABLE = frozenset({Status.ACCEPTED, Status.ATTEMPTED})
OPEN_STATUSES = (RelayStatus.SEEKER_REPLIED, RelayStatus.AWAITING_SEEKER,
                 RelayStatus.NOT_RESPONDING)


@dataclass(frozen=True)
class Intro:
    conversation: Conversation
    messages: list[ConversationMessage]


#: What the seeker is told after Yes: (their locale, the holder's name, the offer's days,
#: whether someone else held them before) -> text. See `introduce`.
ComposeHandoff = Callable[[str, str, int, bool], str]


@use_case
async def introduce(uow: UnitOfWork, contact_id: int, member: Member, now: datetime,
                    compose_handoff: ComposeHandoff | None = None) -> Intro | None:
    """The contact was just accepted: its seeker now talks with this multiplier (who owes
    the first answer). None if the contact did not come from a seeker writing in, or if
    `member` may not hear the seeker (domain.seeker_privacy). With `compose_handoff` the
    seeker is told, in their language, who will contact them and within how many days (a
    warm hand-off: nobody should feel dropped), or, after a reassignment, who does now."""
    conv = await uow.conversations.by_contact(contact_id)
    if conv is None or not hears_seeker(await uow.contacts.get(contact_id), member):
        await uow.commit()
        return None
    await uow.conversations.set_fields(conv.id, handler_since=now, first_out_at=None,
                                       relay_status=RelayStatus.SEEKER_REPLIED.value)
    await uow.audit.record(now, None, "conversation", conv.id, "relay", conv.relay_status,
                           RelayStatus.SEEKER_REPLIED)
    intro = Intro(found(await uow.conversations.get(conv.id), "conversation"),
                  await uow.conversations.messages(conv.id))
    if compose_handoff is not None:
        await _hand_off(uow, conv, contact_id, member, now, compose_handoff)
    await uow.commit()
    return intro


async def _hand_off(uow: UnitOfWork, conv: Conversation, contact_id: int, member: Member,
                    now: datetime, compose: ComposeHandoff) -> None:
    """Stored with the conversation like any message from the team, sent by the outbox."""
    offers = await uow.offers.for_contact(contact_id)
    accepted = await uow.offers.accepted_for(contact_id)
    again = any(o.released_at is not None and o.multiplier_id != member.id for o in offers)
    locale = await languages.of_seeker(uow, conv.seeker_tg_id, conv.seeker_language)
    text = compose(locale, member.name, accepted.days if accepted else 0, again)
    message_id = await uow.conversations.add_message(conv.id, Direction.OUT, Kind.TEXT, text,
                                                     None, now)
    await uow.outbox.add(Enqueue(chat_id=conv.seeker_tg_id, text=text, purpose=Purpose.NOTICE,
                                 dedupe_key=f"handoff:{conv.id}:{message_id}"), now)
    await uow.audit.record(now, None, "conversation", conv.id, "handoff", None, member.id)


@use_case
async def link(uow: UnitOfWork, chat_id: int, message_id: int, conversation_id: int) -> None:
    await uow.conversations.link(chat_id, message_id, conversation_id)
    await uow.commit()


@use_case
async def linked(uow: UnitOfWork, chat_id: int, message_id: int) -> int | None:
    """The conversation a bot message in a multiplier's chat was relayed from."""
    conversation_id = await uow.conversations.linked(chat_id, message_id)
    await uow.commit()
    return conversation_id


@use_case
async def target(uow: UnitOfWork, actor: Member | None, conversation_id: int
                 ) -> tuple[Conversation, Contact | None]:
    """The conversation a member answers: a multiplier while they hold its contact, the
    operator who claimed the request while it is not yet a contact (no contact then)."""
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
    await uow.commit()
    if conv.contact_id is None:
        if not hears_request(conv, None, actor):
            raise NoLongerAvailable("request moved on") if actor and conv.claimed_by == \
                actor.id else NotAllowed("not yours")
        return conv, None
    if actor is None or contact is None or contact.assignee_id != actor.id:
        raise NotAllowed("not yours")
    if contact.status not in ASSIGNED_STATUSES:
        raise NoLongerAvailable("contact moved on")
    return conv, contact


@use_case
async def record_out(uow: UnitOfWork, actor: Member, conv: Conversation, kind: Kind,
                     text: str | None, file_id: str | None, html: str, now: datetime) -> None:
    """A multiplier's message to the seeker: stored and queued for the seeker (`html`: the
    text as sent); now the team waits for the seeker. If it cannot be delivered, the
    multiplier is told (services.delivery)."""
    message_id = await uow.conversations.add_message(conv.id, Direction.OUT, kind, text,
                                                     file_id, now, sender_member_id=actor.id)
    await uow.outbox.add(Enqueue(chat_id=conv.seeker_tg_id, text=html, kind=kind.value,
                                 file_id=file_id, purpose=Purpose.RELAY_OUT,
                                 ref_id=message_id), now)
    # an operator's answer before dispatch owes nothing to anyone: statuses and the "no
    # answer" clock (from the holder's first message) are the holder's
    fields: dict[str, object] = {"last_out_at": now}
    if conv.handler_since:
        fields["relay_status"] = status_after_message(Direction.OUT).value
        if conv.first_out_at is None:
            fields["first_out_at"] = now
    await uow.conversations.set_fields(conv.id, **fields)
    await uow.commit()


@dataclass(frozen=True)
class StatusMove:
    conversation: Conversation
    to: RelayStatus
    contact: Contact
    assignee: Member | None


@use_case
async def due_statuses(uow: UnitOfWork, policy: RelayPolicy, now: datetime) -> list[StatusMove]:
    moves = []
    for conv in await uow.conversations.relayed(OPEN_STATUSES):
        to = timed_status(conv, policy, now)
        contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
        if to is None or to is conv.relay_status or contact is None:
            continue
        assignee = await uow.members.get(contact.assignee_id) if contact.assignee_id else None
        moves.append(StatusMove(conv, to, contact, assignee))
    await uow.commit()
    return moves


#: Renders what the multiplier hears of a status move: (locale, the move, now) -> text.
ComposeStatus = Callable[[str, "StatusMove", datetime], str]


@use_case
async def apply_status(uow: UnitOfWork, move: StatusMove, now: datetime, quiet: Quiet,
                       compose: ComposeStatus) -> bool:
    """The status job's move for one conversation, in its own transaction: the multiplier
    (if they may still hear the seeker) is told; a conversation closed for no answer closes its contact."""
    conv, contact = move.conversation, move.contact
    if not await uow.conversations.set_status_if(conv, move.to, now):
        return False
    await uow.audit.record(now, None, "conversation", conv.id, move.to.value, conv.relay_status,
                           move.to)
    if move.to is RelayStatus.CLOSED and contact.status in CLOSABLE and \
            await uow.contacts.transition(contact.id, [contact.status], Status.CLOSED,
                                          close_reason="no_answer", stage_changed_at=now):
        await uow.audit.record(now, None, "contact", contact.id, "no_answer_close",
                               contact.status, Status.CLOSED)
        await show(uow, contact.id, now)
    if move.assignee is not None and hears_seeker(contact, move.assignee):
        await to_member(uow, move.assignee, lambda locale: compose(locale, move, now), now, quiet,
                        dedupe_key=f"conv:{conv.id}:{move.to.value}:"
                                   f"{(conv.last_in_at or now).isoformat()}")
    await uow.commit()
    return True


@use_case
async def statuses(uow: UnitOfWork, contact_ids: list[int]) -> dict[int, RelayStatus]:
    """Relay status per contact, for /my and the digests (contacts without one left out)."""
    convs = await uow.conversations.for_contacts(contact_ids)
    await uow.commit()
    return {cid: c.relay_status for cid, c in convs.items()
            if c.relay_status is not RelayStatus.NONE}


@dataclass(frozen=True)
class StoredPiece:
    """A stored message of a conversation with the conversation as it is now."""

    conversation: Conversation
    message: ConversationMessage


@use_case
async def stored_piece(uow: UnitOfWork, message_id: int, reader_id: int | None,
                       now: datetime) -> StoredPiece | None:
    """The piece as it is now, if `reader_id` may still hear the seeker when it goes out: a
    message queued for a holder who has left since goes to the triage card instead."""
    stored = await uow.conversations.message(message_id)
    conv = await uow.conversations.get(stored.conversation_id) if stored else None
    if conv is None or stored is None:
        await uow.commit()
        return None
    contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
    reader = await uow.members.get(reader_id) if reader_id is not None else None
    if not hears_request(conv, contact, reader):
        if stored.direction is Direction.IN:
            await show_card(uow, conv.id, now)
        await uow.commit()
        return None
    await uow.commit()
    return StoredPiece(conv, stored)
