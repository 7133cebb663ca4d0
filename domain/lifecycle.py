"""Who may move a contact or an offer, and from which state. Each check raises a DomainError."""

from datetime import datetime

from domain.contacts import ASSIGNED_STATUSES, FOLLOW_UP_STAGES, Contact, Status
from domain.errors import AlreadyDone, NoLongerAvailable, NoLongerYours, NotAllowed
from domain.members import Member
from domain.offers import Offer, OfferStatus

OFFERABLE = frozenset({Status.NEW, Status.ON_HOLD})


def check_can_offer(contact: Contact, multiplier: Member, now: datetime) -> None:
    """One pending offer per contact: a second dispatcher offering at once is told it moved on."""
    if contact.status not in OFFERABLE:
        raise NoLongerAvailable(f"contact is {contact.status}")
    if not multiplier.is_multiplier:
        raise NoLongerAvailable("not an active multiplier")


def check_can_answer(offer: Offer, presser: Member, now: datetime) -> None:
    if offer.multiplier_id != presser.id:
        raise NotAllowed("offer belongs to someone else")
    if offer.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
        raise AlreadyDone(f"offer is {offer.status}")
    if not offer.is_open(now):
        raise NoLongerAvailable(f"offer is {offer.status}")


def check_can_give_reason(offer: Offer, presser: Member) -> None:
    """The reason is asked after No; it can be given once, by the one who declined."""
    if offer.multiplier_id != presser.id:
        raise NotAllowed("offer belongs to someone else")
    if offer.status is not OfferStatus.DECLINED:
        raise NoLongerAvailable(f"offer is {offer.status}")
    if offer.decline_reason is not None:
        raise AlreadyDone("reason already given")


def check_can_withdraw(offer: Offer, now: datetime) -> None:
    if offer.status is not OfferStatus.PENDING:
        raise NoLongerAvailable(f"offer is {offer.status}")


def check_can_set_stage(contact: Contact, presser: Member, stage: Status,
                        released: bool = False) -> None:
    """`released`: the presser held this contact once and was let go (reassigned, handed
    back, closed, left): their old buttons say so rather than "not for you"."""
    if stage not in FOLLOW_UP_STAGES:
        raise NotAllowed(f"{stage} is not a follow-up stage")
    check_holds(contact, presser, released)


def check_can_hand_back(contact: Contact, presser: Member, released: bool = False) -> None:
    check_holds(contact, presser, released)


def check_holds(contact: Contact, presser: Member, released: bool = False) -> None:
    if contact.assignee_id == presser.id and contact.status in ASSIGNED_STATUSES:
        return
    if released:
        raise NoLongerYours(f"contact is {contact.status}")
    if contact.assignee_id != presser.id:
        raise NotAllowed("contact is assigned to someone else")
    raise NoLongerAvailable(f"contact is {contact.status}")


def check_still_held(contact: Contact, holder_id: int) -> None:
    """A dispatcher's action on a held contact names the holder the card showed: if the
    contact moved on since (answered, released, someone else holds it), the press is stale."""
    if contact.status not in ASSIGNED_STATUSES or contact.assignee_id != holder_id:
        raise NoLongerAvailable(f"contact is {contact.status}")


def check_can_hold(contact: Contact) -> None:
    if contact.status is not Status.NEW:
        raise NoLongerAvailable(f"contact is {contact.status}")


def check_can_resume(contact: Contact) -> None:
    if contact.status is not Status.ON_HOLD:
        raise NoLongerAvailable(f"contact is {contact.status}")


def check_can_close(contact: Contact) -> None:
    """Dispatchers close only what is still theirs; an assigned contact is the multiplier's."""
    if contact.status not in OFFERABLE:
        raise NoLongerAvailable(f"contact is {contact.status}")
