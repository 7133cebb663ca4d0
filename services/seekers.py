"""A seeker's message arrives: muted, slowed down, stored for triage, or relayed to the
multiplier who holds their contact. One conversation per sender. A holder who may no longer
hear the seeker (domain.seeker_privacy) gets nothing: the message goes to the triage card."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.contacts import Status
from domain.conversations import (
    EDIT_MARK,
    Direction,
    FloodVerdict,
    Kind,
    RelayStatus,
    Triage,
    flood_verdict,
    reopens_triage,
    status_after_message,
)
from domain.delivery import Purpose
from domain.members import Member
from domain.outbox import Enqueue
from domain.seeker_privacy import hears_request, hears_seeker
from services.ports import UnitOfWork
from services.transaction import use_case
from services.triage import show_card

FLOOD_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Inbound:
    tg_user_id: int
    name: str
    username: str | None
    kind: Kind
    text: str | None
    file_id: str | None
    given_name: str | None = None  # Telegram's first and last name: `name` is both
    family_name: str | None = None
    language: str | None = None  # Telegram's language_code: what they read (domain.locales)
    edited: bool = False  # the seeker edited a message they sent: relayed as an edit


class Outcome(StrEnum):
    STORED = "stored"  # waits for (or is in) triage
    RELAY = "relay"  # goes to the multiplier holding the contact
    MUTED = "muted"  # marked spam: ignored
    SLOW_DOWN = "slow_down"  # flooding: dropped, told once
    DROPPED = "dropped"  # flooding: dropped quietly


@dataclass(frozen=True)
class Received:
    """What the handler answers from. No triage card: the outbox draws it when it sends, and
    building it here was a third of a message's statements."""

    outcome: Outcome
    conversation_id: int
    created: bool = False  # first message ever: greet
    fresh: bool = False  # a new request (first message, or reopened): post a new card
    relay_to: Member | None = None


@use_case
async def receive(uow: UnitOfWork, msg: Inbound, flood_limit: int, now: datetime) -> Received:
    convs = uow.conversations
    conv, created = await convs.by_seeker(msg.tg_user_id, lock=True), False
    if conv is None:
        conv = await convs.add(msg.tg_user_id, msg.name, msg.username, now)
        created = conv is not None
        conv = conv or await convs.by_seeker(msg.tg_user_id, lock=True)
    assert conv is not None
    if conv.triage is Triage.SPAM:
        await convs.count_dropped(conv.id)
        await uow.commit()
        return Received(Outcome.MUTED, conv.id)
    recent = await convs.count_messages(conv.id, Direction.IN, since=now - FLOOD_WINDOW)
    verdict = flood_verdict(recent, flood_limit, conv.slowed_at, now - FLOOD_WINDOW)
    if verdict is not FloodVerdict.ACCEPT:
        slowed = {"slowed_at": now} if verdict is FloodVerdict.WARN else {}
        await convs.count_dropped(conv.id, **slowed)
        await uow.commit()
        return Received(Outcome.SLOW_DOWN if slowed else Outcome.DROPPED, conv.id)
    contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
    reopened = False
    if reopens_triage(conv, contact is not None and contact.status is not Status.CLOSED):
        await convs.move(conv.id, [conv.triage], triage=Triage.NEW.value, round_started_at=now,
                         claimed_by=None, triaged_by=None, contact_id=None,
                         relay_status=RelayStatus.NONE.value, handler_since=None)
        await uow.audit.record(now, None, "conversation", conv.id, "reopen", conv.triage,
                               Triage.NEW)
        contact, reopened = None, True
    message_id = await convs.add_message(conv.id, Direction.IN, msg.kind, msg.text,
                                         msg.file_id, now)
    await convs.set_fields(conv.id, last_in_at=now, seeker_name=msg.name,
                           seeker_given_name=msg.given_name,
                           seeker_family_name=msg.family_name,
                           seeker_username=msg.username, seeker_language=msg.language)
    relay_to = None
    if contact and contact.is_assigned:
        holder = await uow.members.get(contact.assignee_id) if contact.assignee_id else None
        relay_to = holder if hears_seeker(contact, holder) else None
        await convs.set_fields(conv.id, relay_status=status_after_message(Direction.IN).value)
    elif conv.triage is Triage.CLAIMED and conv.claimed_by is not None:
        claimer = await uow.members.get(conv.claimed_by)  # talking with them before dispatch
        relay_to = claimer if hears_request(conv, None, claimer) else None
    if relay_to is not None:  # once relayed, the conversation is no longer the team's to read
        await uow.outbox.add(Enqueue(chat_id=relay_to.tg_user_id, member_id=relay_to.id,
                                     text=EDIT_MARK if msg.edited else "",
                                     purpose=Purpose.RELAY_IN, ref_id=message_id), now)
    else:
        await show_card(uow, conv.id, now, fresh=created or reopened)
    await uow.commit()
    outcome = Outcome.RELAY if relay_to else Outcome.STORED
    return Received(outcome, conv.id, created, created or reopened, relay_to)
