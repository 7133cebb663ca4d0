"""The team card of a contact: everything the card shows, gathered in the same transaction."""

from dataclasses import dataclass, field
from datetime import datetime

from domain.areas import AreaMap
from domain.contacts import Contact, Status
from domain.duplicates import Suspect
from domain.matching import MatchPolicy, Place, Suggestion, rank, suggest
from domain.members import Member
from domain.milestones import Reached, in_order
from domain.offers import Offer, OfferStatus, Release
from domain.pool import Invitation, InvitationState
from services.ports import UnitOfWork
from services.transaction import use_case

#: Offers that rule a multiplier out for this seeker: they said no, or let it lapse.
ASKED = (OfferStatus.DECLINED, OfferStatus.EXPIRED)
#: Seekers whose card ranks the team for them: those nobody holds yet (a NEW card shows its
#: suggestions; an offered seeker may be declined any moment, one on hold resumed).
RANKED = frozenset({Status.NEW, Status.ON_HOLD, Status.OFFERED})


@dataclass(frozen=True)
class CardView:
    contact: Contact
    offers: list[Offer]
    names: dict[int, str]  # member id -> name, for everyone the card mentions
    suggestions: list[Suggestion]
    assignee: Member | None
    location: tuple[int, int] | None  # (chat id, message id) of the posted card
    areas: AreaMap
    policy: MatchPolicy
    area_guesses: tuple[str, ...] = ()  # known areas the typed place may mean
    nearest: tuple[Suggestion, ...] = ()  # set when no eligible multiplier serves the place
    best_serving: Suggestion | None = None  # the best who covers the place (any, if none given)
    suspects: list[Suspect] = field(default_factory=list)  # pending possible duplicates
    touches: int = 0  # times the same seeker arrived again and was attached here
    merge_id: int | None = None  # the merge that set this record aside (to undo it)
    #: Nobody is suggested only because everyone who could take the seeker declined or let
    #: the offer lapse (not for want of a free place or a language).
    all_asked: bool = False
    #: Faith milestones the seeker reached, in the path's order (domain.milestones).
    milestones: tuple[Reached, ...] = ()
    #: Everyone invited from the open pool (domain.pool), with how each invitation ended.
    invitations: tuple[Invitation, ...] = ()

    @property
    def reassigned(self) -> frozenset[int]:
        """Multipliers a dispatcher took this seeker away from: not suggested again."""
        return released_by(self.offers, Release.REASSIGNED)

    @property
    def last_release(self) -> Release | None:
        """How the latest holding of this record ended (None: nobody was let go yet)."""
        ended = [o for o in self.offers if o.released_at is not None]
        return max(ended, key=lambda o: (o.released_at, o.id)).release if ended else None

    @property
    def pending_offer(self) -> Offer | None:
        return next((o for o in self.offers if o.status is OfferStatus.PENDING), None)

    @property
    def pool_open(self) -> bool:
        return any(i.state is InvitationState.PENDING for i in self.invitations)

    @property
    def area_unknown(self) -> bool:
        return bool(self.contact.details.area) and self.contact.area_key is None

    @property
    def unserved(self) -> bool:
        """Someone could take the seeker, but nobody who works in or near their area."""
        return bool(self.nearest)


def asked(offers: list[Offer]) -> frozenset[int]:
    return frozenset(o.multiplier_id for o in offers if o.status in ASKED)


def released_by(offers: list[Offer], how: Release) -> frozenset[int]:
    """Who held this seeker and was let go this way (domain.offers.Release)."""
    return frozenset(o.multiplier_id for o in offers if o.release is how)


def history(offers: list[Offer]) -> dict[str, frozenset[int]]:
    """The seeker's past with the team as the matching reads it (domain.matching)."""
    return {"reassigned": released_by(offers, Release.REASSIGNED),
            "handed_back": released_by(offers, Release.HANDED_BACK)}


async def _merge_to_undo(uow: UnitOfWork, contact: Contact) -> int | None:
    """The merge a merged-away contact's card can undo (no other card has one)."""
    if contact.status is not Status.MERGED:
        return None
    merge = await uow.duplicates.last_merge_of(contact.id)
    return merge.id if merge else None


@use_case
async def build_card(uow: UnitOfWork, contact_id: int, now: datetime,
                     contact: Contact | None = None) -> CardView:
    """`contact`: the contact as this transaction already read it, if it did."""
    contact = contact or await uow.contacts.get(contact_id)
    assert contact is not None
    offers = await uow.offers.for_contact(contact_id)
    areas, policy = await uow.areas.map(), await uow.settings.match_policy()
    # The whole team's loads and track records are read only for a seeker waiting for
    # dispatch: no other card shows suggestions, and most cards drawn are of held seekers.
    candidates = (await uow.members.multiplier_candidates(now)
                  if contact.status in RANKED else [])
    place = Place(contact.area_key, areas)
    shown = suggest(contact.details, place, candidates, now, policy, exclude=asked(offers),
                    **history(offers))
    names = {c.member.id: c.member.name for c in candidates}
    assignee = await uow.members.get(contact.assignee_id) if contact.assignee_id else None
    invitations = await uow.pool.for_contact(contact_id)
    for member_id in [o.multiplier_id for o in offers] + [contact.update_requested_by] \
            + [i.member_id for i in invitations]:
        if member_id is not None and member_id not in names:
            member = await uow.members.get(member_id)
            names[member_id] = member.name if member else "?"
    excluded = asked(offers) | released_by(offers, Release.REASSIGNED)
    all_asked = not shown.top and bool(excluded) and bool(
        rank(contact.details, place, candidates, now, policy, limit=1))
    guesses = areas.resolve(contact.details.area).guesses if contact.area_key is None else ()
    return CardView(
        contact=contact,
        offers=offers,
        names=names,
        suggestions=list(shown.top),
        assignee=assignee,
        location=await uow.contacts.card(contact_id),
        areas=areas,
        policy=policy,
        area_guesses=guesses,
        nearest=shown.nearest,
        best_serving=shown.best_serving,
        suspects=await uow.duplicates.pending_for(contact_id),
        touches=await uow.duplicates.touches(contact_id),
        merge_id=await _merge_to_undo(uow, contact),
        all_asked=all_asked,
        milestones=tuple(in_order(await uow.milestones.of(contact_id))),
        invitations=tuple(invitations),
    )
