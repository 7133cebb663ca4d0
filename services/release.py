"""A multiplier stops holding a contact: handed back, reassigned, closed by a dispatcher, or
they left the team. One way for all four, so none of them forgets a part.

Two people calling one seeker is the failure the dispatchers exist to prevent: the moment a
holder is let go, their old message loses the seeker's details and its buttons, and (unless
they did it themselves) they are told plainly. Their accepted offer records how the holding
ended, which the matching reads (domain.matching: reassigned away, handed back)."""

from datetime import datetime

from domain.contacts import Contact, Status
from domain.conversations import RelayStatus
from domain.delivery import Purpose
from domain.offers import Release
from domain.outbox import Enqueue
from services.ports import UnitOfWork

#: Any word from the multiplier answers the nags about that contact, and a dispatcher's ask.
NAGS_RESET = {"nag_count": 0, "last_nag_at": None, "escalated_at": None,
              "update_requested_at": None, "update_requested_by": None}

#: Let go by someone else: the holder is told with a message of its own (an edit is silent).
TOLD = frozenset({Release.REASSIGNED, Release.CLOSED})


def back_to_dispatch(now: datetime, note: str = "") -> dict[str, object]:
    """The fields of a contact that waits for dispatch again, with a fresh waiting clock."""
    return {"status": Status.NEW.value, "assignee_id": None, "waiting_since": now,
            "stage_changed_at": now, "dispatch_note": note}


async def let_go(uow: UnitOfWork, actor_id: int | None, contact: Contact, how: Release,
                 action: str, now: datetime, **fields: object) -> bool:
    """The contact's holder no longer holds it; `fields` say where it goes (`status` and the
    rest, e.g. back_to_dispatch). In the caller's transaction, not committed. False if the
    holder no longer held it as the caller read it (someone was first)."""
    holder_id = contact.assignee_id
    if holder_id is None or not await uow.contacts.update_held(
            contact.id, holder_id, auto_dispatch=False, **{**NAGS_RESET, **fields}):
        return False
    after = Status(str(fields.get("status", contact.status)))
    await uow.audit.record(now, actor_id, "contact", contact.id, action, contact.status, after)
    await _end_relay(uow, contact.id)
    offer = await uow.offers.release(contact.id, holder_id, how, now)
    if offer is None:  # held through a merge, by an offer on the other record
        return True
    await uow.audit.record(now, actor_id, "offer", offer.id, "release", None, how)
    holder = await uow.members.get(holder_id)
    dm = await uow.offers.dm(offer.id)
    if dm is not None:  # the message with the details and the stage buttons
        await uow.outbox.add(Enqueue(chat_id=dm[0], member_id=holder_id, edit_message_id=dm[1],
                                     text="", purpose=Purpose.RELEASED_EDIT, ref_id=offer.id), now)
    if how in TOLD and holder is not None:  # at once, quiet hours or not: stop calling them
        await uow.outbox.add(Enqueue(chat_id=holder.tg_user_id, member_id=holder_id, text="",
                                     purpose=Purpose.RELEASED, ref_id=offer.id), now)
    return True


async def _end_relay(uow: UnitOfWork, contact_id: int) -> None:
    """Nobody holds the seeker now: no answer is owed by anyone, and the status job leaves
    the conversation alone until the next holder is introduced (services.relay.introduce)."""
    conv = await uow.conversations.by_contact(contact_id)
    if conv is not None and conv.relay_status is not RelayStatus.NONE:
        await uow.conversations.set_fields(conv.id, relay_status=RelayStatus.NONE.value,
                                           handler_since=None, first_out_at=None)


async def released(uow: UnitOfWork, contact_id: int, member_id: int) -> bool:
    """Did `member_id` hold this contact once and was let go? Their old buttons say so."""
    return any(o.multiplier_id == member_id and o.released_at is not None
               for o in await uow.offers.for_contact(contact_id))
