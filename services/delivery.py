"""What a delivery result means for the team: remember where an offer landed, and when a
person cannot be reached, take back their offer and tell the dispatchers."""

from dataclasses import dataclass
from datetime import datetime

from domain.contacts import Status
from domain.delivery import Purpose
from domain.offers import CLOSED_BEHIND_THEIR_BACK, OfferStatus
from domain.outbox import Enqueue, OutgoingMessage
from domain.pool import InvitationState
from services.card_queue import changed
from services.pool import edit_closed
from services.cards import CardView
from services.triage import show_card
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Unreachable:
    member_name: str
    first_time: bool  # newly marked unreachable (tell the team once)
    card: CardView | None  # the card of an offer withdrawn because of it


@use_case
async def delivered(uow: UnitOfWork, message: OutgoingMessage, tg_message_id: int | None,
                    now: datetime) -> bool:
    """Record the delivery. True if it was an offer withdrawn or expired while it travelled:
    its buttons must be taken away (the withdrawal could not edit a message it did not know).
    An offer answered at once, before this was saved, keeps the buttons its answer drew."""
    await uow.outbox.sent(message, tg_message_id, now)
    stale = False
    if message.purpose == Purpose.OFFER and message.ref_id and tg_message_id:
        await uow.offers.save_dm(message.ref_id, message.chat_id, tg_message_id)
        offer = await uow.offers.get(message.ref_id)
        stale = offer is not None and offer.status in CLOSED_BEHIND_THEIR_BACK
    if message.purpose == Purpose.POOL_INVITE and message.ref_id and tg_message_id:
        await _invitation_landed(uow, message.ref_id, (message.chat_id, tg_message_id), now)
    posted = bool(message.edit_message_id is None and message.ref_id and tg_message_id)
    # only a post says where a card is: an edit that was in flight while a new request reset
    # the triage card must not point it back at the old message
    if message.purpose == Purpose.CARD and posted:
        await uow.contacts.save_card(message.ref_id, message.chat_id, tg_message_id)
    if message.purpose == Purpose.TRIAGE and posted:
        await uow.conversations.place_card(message.ref_id, message.chat_id, tg_message_id,
                                           message.id)
    if message.purpose == Purpose.RELAY_IN and message.ref_id and tg_message_id:
        stored = await uow.conversations.message(message.ref_id)
        if stored is not None:  # replying to it answers the seeker
            await uow.conversations.link(message.chat_id, tg_message_id, stored.conversation_id)
            if message.member_id is not None:  # read in private now: off the team's card
                await uow.conversations.mark_relayed(stored.id, message.member_id)
    member = await uow.members.get(message.member_id) if message.member_id else None
    if member is not None and member.unreachable_at is not None:  # only a change is written:
        await uow.members.update(member.id, unreachable_at=None)  # it renews the team's stamp
    await uow.commit()
    return stale


async def _invitation_landed(uow: UnitOfWork, invitation_id: int, dm: tuple[int, int],
                            now: datetime) -> None:
    """Remember where an invitation landed; if its pool closed while it travelled, its
    buttons go at once (the closing could not edit a message it did not know)."""
    await uow.pool.save_dm(invitation_id, *dm)
    invitation = await uow.pool.get(invitation_id)
    if invitation is not None and invitation.state is not InvitationState.PENDING:
        await edit_closed(uow, invitation_id, dm, now)


@use_case
async def dropped(uow: UnitOfWork, message: OutgoingMessage) -> None:
    """What the row was about is gone (e.g. a merged contact): nothing is sent."""
    await uow.outbox.failed(message, "nothing to send: its subject is gone")
    await uow.commit()


@use_case
async def undeliverable(uow: UnitOfWork, message: OutgoingMessage, error: str,
                        now: datetime, unreachable: bool) -> Unreachable | None:
    """The message failed for good. If Telegram said the person is out of reach (blocked,
    never started the bot), they are marked unreachable and their pending offer withdrawn."""
    await uow.outbox.failed(message, error)
    if message.purpose == Purpose.RELAY_OUT and message.ref_id:
        await _tell_relay_sender(uow, message.ref_id, now)
    if message.purpose == Purpose.RELAY_IN and message.ref_id:
        await _back_to_the_team(uow, message.ref_id, now)
    if message.member_id is None or not unreachable:
        await uow.commit()
        return None
    member = await uow.members.get(message.member_id)
    assert member is not None
    first_time = member.unreachable_at is None
    if first_time:
        await uow.members.update(member.id, unreachable_at=now)
        await uow.audit.record(now, None, "member", member.id, "unreachable", None, error)
    card = None
    if message.purpose == Purpose.OFFER and message.ref_id:
        card = await _withdraw(uow, message.ref_id, now)
    await uow.commit()
    return Unreachable(member.name, first_time, card)


async def _tell_relay_sender(uow: UnitOfWork, message_id: int, now: datetime) -> None:
    """The seeker did not get a multiplier's message (e.g. they blocked the bot): the
    multiplier must know, or they would wait for an answer to words never delivered."""
    stored = await uow.conversations.message(message_id)
    sender = await uow.members.get(stored.sender_member_id) if stored and stored.sender_member_id else None
    if sender is not None:
        await uow.outbox.add(Enqueue(chat_id=sender.tg_user_id, member_id=sender.id, text="",
                                     purpose=Purpose.RELAY_FAILED, ref_id=message_id), now)


async def _back_to_the_team(uow: UnitOfWork, message_id: int, now: datetime) -> None:
    """A seeker's words that did not reach the member they were meant for: the team's
    triage card shows them, so nobody misses them."""
    stored = await uow.conversations.message(message_id)
    if stored is not None:
        await show_card(uow, stored.conversation_id, now)


async def _withdraw(uow: UnitOfWork, offer_id: int, now: datetime) -> CardView | None:
    offer = await uow.offers.get(offer_id)
    if offer is None or not await uow.offers.transition(
        offer_id, OfferStatus.PENDING, OfferStatus.WITHDRAWN, answered_at=now
    ):
        return None
    await uow.contacts.transition(offer.contact_id, [Status.OFFERED], Status.NEW)
    await uow.audit.record(now, None, "offer", offer_id, "undeliverable", "pending", "withdrawn")
    await uow.audit.record(
        now, None, "contact", offer.contact_id, "undeliverable", Status.OFFERED, Status.NEW
    )
    return await changed(uow, offer.contact_id, now)
