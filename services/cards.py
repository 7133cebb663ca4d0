"""The team card of a contact: everything the card shows, gathered in the same transaction."""

from dataclasses import dataclass, field
from datetime import datetime

from domain.contacts import Contact
from domain.matching import Suggestion, rank
from domain.members import Member
from domain.offers import Offer, OfferStatus
from services.transaction import use_case
from storage.repositories.duplicates import Suspect
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class CardView:
    contact: Contact
    offers: list[Offer]
    names: dict[int, str]  # member id -> name, for everyone the card mentions
    suggestions: list[Suggestion]
    assignee: Member | None
    location: tuple[int, int] | None  # (chat id, message id) of the posted card
    suspects: list[Suspect] = field(default_factory=list)  # pending possible duplicates
    touches: int = 0  # times the same seeker arrived again and was attached here
    merge_id: int | None = None  # the merge that set this record aside (to undo it)

    @property
    def pending_offer(self) -> Offer | None:
        return next((o for o in self.offers if o.status is OfferStatus.PENDING), None)


@use_case
async def build_card(uow: UnitOfWork, contact_id: int, now: datetime) -> CardView:
    contact = await uow.contacts.get(contact_id)
    assert contact is not None
    offers = await uow.offers.for_contact(contact_id)
    declined = frozenset(o.multiplier_id for o in offers if o.status is OfferStatus.DECLINED)
    candidates = await uow.members.multiplier_candidates()
    suggestions = rank(contact.details, candidates, now, exclude=declined)
    names = {c.member.id: c.member.name for c in candidates}
    assignee = await uow.members.get(contact.assignee_id) if contact.assignee_id else None
    for offer in offers:
        if offer.multiplier_id not in names:
            member = await uow.members.get(offer.multiplier_id)
            names[offer.multiplier_id] = member.name if member else "?"
    return CardView(
        contact=contact,
        offers=offers,
        names=names,
        suggestions=suggestions,
        assignee=assignee,
        location=await uow.contacts.card(contact_id),
        suspects=await uow.duplicates.pending_for(contact_id),
        touches=await uow.duplicates.touches(contact_id),
        merge_id=merge.id if (merge := await uow.duplicates.last_merge_of(contact_id)) else None,
    )
