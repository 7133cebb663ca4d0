"""Faith milestones, beside the seeker's path: which steps a seeker has reached, each with
the day it was ticked. A dispatcher reads "how is this seeker doing", not only "where"."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.contacts import Contact
from domain.errors import NoLongerAvailable, NotAllowed
from domain.members import Member
from domain.roles import DISPATCH_ROLES


class Milestone(StrEnum):
    """In the order the buttons and the card show them. The values are stored: never rename."""

    HAS_BIBLE = "has_bible"
    READS_BIBLE = "reads_bible"
    BELIEVES = "believes"
    CAN_SHARE = "can_share"
    SHARING = "sharing"
    BAPTIZED = "baptized"
    BAPTIZING = "baptizing"
    IN_GROUP = "in_group"
    STARTS_GROUPS = "starts_groups"


MILESTONES: tuple[Milestone, ...] = tuple(Milestone)


@dataclass(frozen=True)
class Reached:
    """One milestone a seeker reached: when it was ticked, and by whom."""

    contact_id: int
    milestone: Milestone
    reached_at: datetime
    by: int | None = None


def in_order(reached: list[Reached]) -> list[Reached]:
    """The card and the screen list them in the path's order, not the ticking order."""
    return sorted(reached, key=lambda r: MILESTONES.index(r.milestone))


def check_can_tick(contact: Contact, presser: Member) -> None:
    """Its holder, a dispatcher or an admin, while someone holds the seeker: a closed or
    handed-back record is no longer followed, so its old buttons are refused."""
    if not presser.has(*DISPATCH_ROLES) and contact.assignee_id != presser.id:
        raise NotAllowed("not the holder")
    if not contact.is_held:
        raise NoLongerAvailable(f"contact is {contact.status}")
