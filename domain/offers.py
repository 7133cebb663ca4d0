"""An offer asks one multiplier: can you reach this seeker within N days?"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput

#: The days a dispatcher may choose for one offer with *Offer…* (the card's own offer button
#: uses the team's default, `/matching offer_days N`, else the deployment's OFFER_DAYS).
DAY_CHOICES = (1, 2, 3, 5, 7)


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


# Closed by someone other than the person it was sent to: their copy still shows Yes / No
# unless it is taken away. An answered offer's message was redrawn by the answer itself.
CLOSED_BEHIND_THEIR_BACK = frozenset({OfferStatus.WITHDRAWN, OfferStatus.EXPIRED})


class DeclineReason(StrEnum):
    TOO_BUSY = "busy"
    TOO_FAR = "far"
    LANGUAGE = "lang"
    OTHER = "other"


class Release(StrEnum):
    """How an accepted offer's holding ended: the multiplier stopped holding the seeker."""

    HANDED_BACK = "handed_back"  # the multiplier gave the seeker back: ranked last for them
    REASSIGNED = "reassigned"  # a dispatcher took the seeker away: not suggested again
    CLOSED = "closed"  # a dispatcher closed the contact
    LEFT = "left"  # the multiplier left the team or lost the role


@dataclass(frozen=True)
class Offer:
    id: int
    contact_id: int
    multiplier_id: int
    offered_by: int | None
    status: OfferStatus
    created_at: datetime
    expires_at: datetime
    days: int
    answered_at: datetime | None = None
    decline_reason: DeclineReason | None = None
    automatic: bool = False  # made by auto-dispatch, not by a dispatcher
    reached_at: datetime | None = None  # when the multiplier first reported reaching the seeker
    release: Release | None = None  # an accepted offer whose holder no longer holds the seeker
    released_at: datetime | None = None

    def is_open(self, now: datetime) -> bool:
        """Expiry is checked on every press, so a late Yes never wins even before a job runs."""
        return self.status is OfferStatus.PENDING and now < self.expires_at


def offer_days(chosen: int, default: int) -> int:
    """The days an offer promises: the dispatcher's choice (0: none, the default). A choice
    off the list comes from a forged button and is refused."""
    if chosen == 0:
        return default
    if chosen not in DAY_CHOICES:
        raise InvalidInput("offer_days")
    return chosen
