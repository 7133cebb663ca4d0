"""What waits for the dispatchers: new and held contacts, pending offers, recent declines."""

from dataclasses import dataclass
from datetime import datetime

from domain.contacts import Contact, Status
from domain.members import Member
from domain.offers import Offer, OfferStatus
from domain.roles import DISPATCH_ROLES
from services.access import require
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class QueueEntry:
    contact: Contact
    offers: list[Offer]

    @property
    def declines(self) -> list[Offer]:
        return [o for o in self.offers if o.status is OfferStatus.DECLINED]

    @property
    def pending(self) -> Offer | None:
        return next((o for o in self.offers if o.status is OfferStatus.PENDING), None)


@dataclass(frozen=True)
class Queue:
    waiting: list[QueueEntry]
    offered: list[QueueEntry]
    on_hold: list[QueueEntry]
    names: dict[int, str]


@use_case
async def dispatch_queue(uow: UnitOfWork, actor: Member | None, now: datetime) -> Queue:
    require(actor, *DISPATCH_ROLES)
    contacts = await uow.contacts.with_status([Status.NEW, Status.OFFERED, Status.ON_HOLD])
    entries = [QueueEntry(c, await uow.offers.for_contact(c.id)) for c in contacts]
    names = {m.id: m.name for m in await uow.members.list_all()}
    await uow.commit()
    return Queue(
        waiting=[e for e in entries if e.contact.status is Status.NEW],
        offered=[e for e in entries if e.contact.status is Status.OFFERED],
        on_hold=[e for e in entries if e.contact.status is Status.ON_HOLD],
        names=names,
    )
