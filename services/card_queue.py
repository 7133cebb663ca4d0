"""Queueing a team card's post or redraw with the change that calls for it, and holding cards
back in a burst.

Only use cases call this, inside their transaction: routers and jobs never post or edit a
card themselves (a layer contract says so), the outbox sender does, rendering it when sent.

**Bursts** (domain.bursts). A contact that came as data joins its source's arrival batch:
an import brings its own (services.importing), an API key's arrivals share one for a minute
from the first (`arrived`). Once a batch holds more than BURST_SIZE contacts its cards are
held: not posted, their queued posts cancelled (cards already posted stay and are redrawn as
usual), and the team chat gets one summary instead, rendered when sent, with a button to the
list of them. A held card is posted (`release`) when a dispatcher opens it with *Show card*
or offers the contact, or when auto-dispatch hands it over. Nothing is lost meanwhile: held
contacts wait in /queue, /contacts and the digests like any other."""

from dataclasses import dataclass
from datetime import datetime

from domain.bursts import BURST_SIZE, BURST_WINDOW, Batch, is_burst
from domain.contact_filters import ContactFilter
from domain.delivery import Purpose
from domain.outbox import Enqueue
from services.cards import CardView, build_card
from services.ports import UnitOfWork
from services.transaction import use_case


async def show(uow: UnitOfWork, contact_id: int, now: datetime) -> None:
    """The team card must show the contact as it is: queue its post (no card yet, and not
    held back in a burst) or its redraw, in the caller's transaction. One queued row per card
    is enough, since the sender renders it from the state at the moment it is sent. Not
    committed."""
    location = await uow.contacts.card(contact_id)
    if location is None:
        contact = await uow.contacts.get(contact_id)
        if contact is None or contact.card_held:
            return
    chat_id = location[0] if location else await uow.settings.team_chat_id()
    if chat_id is None or await uow.outbox.queued(Purpose.CARD, contact_id):
        return
    await uow.outbox.add(Enqueue(chat_id=chat_id, text="", purpose=Purpose.CARD, ref_id=contact_id), now)


async def show_many(uow: UnitOfWork, contact_ids: list[int], now: datetime) -> None:
    """show() of each, the held ones skipped after one read of all: a held card was never
    posted (hold() holds only those), so show() would find nothing to do. Not committed."""
    contacts = await uow.contacts.get_many(contact_ids)
    for contact_id in contact_ids:
        if contact_id in contacts and not contacts[contact_id].card_held:
            await show(uow, contact_id, now)


async def changed(uow: UnitOfWork, contact_id: int, now: datetime) -> CardView:
    """show(), then the card as the caller's answer may need it. Not committed."""
    await show(uow, contact_id, now)
    return await build_card(uow, contact_id, now)


async def hold(uow: UnitOfWork, contact_id: int) -> None:
    """Keep a card that is not in the team chat yet from being posted. Not committed."""
    if await uow.contacts.card(contact_id) is not None:
        return
    await uow.contacts.set_fields(contact_id, card_held=True)
    await uow.outbox.cancel(Purpose.CARD, contact_id)


async def release(uow: UnitOfWork, contact_id: int, now: datetime) -> None:
    """A held card is needed now: post it. Not committed."""
    await uow.contacts.set_fields(contact_id, card_held=False)
    await show(uow, contact_id, now)


@dataclass(frozen=True)
class Arrival:
    """How a contact that came as data joins its batch (services.intake.create_contact).

    `batch`: the import's own batch; None: the channel's open window (a new one if none).
    `hold`: the caller knows already that `batch` is a burst (an import of more than
    BURST_SIZE rows), so no card of it is posted, not even the first ones: its contacts are
    stored held (born_with)."""

    channel: str
    batch: Batch | None = None
    hold: bool = False

    def __post_init__(self) -> None:
        if self.hold and self.batch is None:
            raise ValueError("a held arrival comes with its batch")


async def in_window(uow: UnitOfWork, arrival: Arrival, now: datetime) -> Arrival:
    """The arrival with its channel's open batch, read before the contact is stored: in a
    window that is a burst already the new card is held from the start (born_with), as an
    import's are. A count only grows, so a window read as a burst stays one."""
    if arrival.batch is not None:
        return arrival
    batch = await uow.contacts.open_batch(arrival.channel, now)
    if batch is None:
        return arrival
    return Arrival(arrival.channel, batch, hold=is_burst(batch.count))


def born_with(arrival: Arrival | None) -> dict[str, object]:
    """The columns a new contact is stored with when its arrival is known to be held (an
    import's burst): its batch and its hold, so neither costs a write, nor a card to cancel."""
    if arrival is None or not arrival.hold or arrival.batch is None:
        return {}
    return {"batch_id": arrival.batch.id, "card_held": True}


async def arrived(uow: UnitOfWork, contact_id: int, arrival: Arrival, now: datetime) -> bool:
    """Count the new contact into its batch; True if its card is held. `arrival` is as
    in_window() returned it: without a batch, no window is open and a new one starts. The
    arrival that makes a window a burst holds the window's earlier cards not posted yet too,
    and queues the summary for the end of the window (when the count is complete). A contact
    stored with born_with(arrival) is only counted. Not committed."""
    if arrival.hold and arrival.batch is not None:
        await uow.contacts.count_into(arrival.batch.id)
        return True
    batch = arrival.batch or await uow.contacts.new_batch(arrival.channel, now)
    count = await uow.contacts.join_batch(contact_id, batch.id)
    if not is_burst(count):
        return False
    if count == BURST_SIZE + 1:
        earlier, _ = await uow.contacts.listing(ContactFilter(batch_id=batch.id), 0, count)
        for contact in earlier:
            await hold(uow, contact.id)
        await summarise(uow, batch.id, batch.started_at + BURST_WINDOW, now)
    else:
        await hold(uow, contact_id)
    return True


async def summarise(uow: UnitOfWork, batch_id: int, at: datetime, now: datetime) -> None:
    """One team-chat summary of a burst, sent at `at` and rendered then (scheduler.render),
    so it counts every contact of the batch. Once per batch. Not committed."""
    chat_id = await uow.settings.team_chat_id()
    if chat_id is None:
        return
    await uow.outbox.add(Enqueue(chat_id=chat_id, text="", purpose=Purpose.BURST,
                                 ref_id=batch_id, dedupe_key=f"burst:{batch_id}",
                                 not_before=at), now)


@use_case
async def batch(uow: UnitOfWork, batch_id: int) -> Batch | None:
    """A batch as it stands (the summary is rendered from it)."""
    found = await uow.contacts.batch(batch_id)
    await uow.commit()
    return found
