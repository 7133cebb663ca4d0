"""The open pool: a waiting contact offered to every eligible multiplier in and near its
area at once; the first who takes it holds it.

Invitations are not offers: the one-pending-offer rule stays as it is. Taking one is a
conditional move of the contact (still waiting, pool still open), so exactly one taker wins;
it becomes an accepted offer at that moment. Every other invitation closes with it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.contacts import Contact, Status
from domain.errors import AlreadyDone, NoLongerAvailable, NotAllowed
from domain.matching import Exclusion, Suggestion, serves
from domain.members import Member


class InvitationState(StrEnum):
    PENDING = "pending"  # the Take button works
    TAKEN = "taken"  # this invitee took the contact
    LOST = "lost"  # someone else took it first
    PASSED = "passed"  # the invitee pressed "Not me"
    WITHDRAWN = "withdrawn"  # the pool closed: offered, merged, closed, or a dispatcher closed it
    EXPIRED = "expired"  # nobody took the seeker within an offer's time to answer


class PoolTaken(NoLongerAvailable):
    """A Take that came too late: another multiplier took the seeker first."""

    code = "pool_taken"


class PoolUnfit(NotAllowed):
    """The invitee no longer passes the matching rules (full, away, unreachable) since the
    invitation went out: the others may still take the seeker."""

    code = "pool_unfit"


class PoolLapsed(NoLongerAvailable):
    """A Take after the pool lapsed: nobody took the seeker in an offer's time to answer,
    and the dispatchers place them again."""

    code = "pool_lapsed"


class PoolClosed(NoLongerAvailable):
    """A Take after the pool closed (the contact was offered, merged, closed or withdrawn)."""

    code = "pool_closed"


@dataclass(frozen=True)
class Invitation:
    id: int
    contact_id: int
    member_id: int
    opened_by: int | None
    state: InvitationState
    days: int  # the promise, as an offer's: reach the seeker within these days
    created_at: datetime
    closed_at: datetime | None = None
    dm: tuple[int, int] | None = None  # (chat id, message id) where the invitation landed


def invitees(suggestions: Iterable[Suggestion], area_known: bool, size: int) -> list[Suggestion]:
    """Who is invited: the ranked multipliers who passed the hard rules (language, gender,
    capacity, availability) and, when the seeker's area is known, work in or near it; the
    best `size` of them. With no known area the ranking alone decides."""
    fitting = [s for s in suggestions if serves(s)] if area_known else list(suggestions)
    return fitting[:max(size, 0)]


def check_can_open(contact: Contact, enabled: bool, open_now: Iterable[Invitation]) -> None:
    """Only a waiting contact of a team that turned the pool on, and not twice at once."""
    if not enabled:
        raise NotAllowed("open pool is off for this team")
    if contact.status is not Status.NEW:
        raise NoLongerAvailable(f"contact is {contact.status}")
    if any(i.state is InvitationState.PENDING for i in open_now):
        raise AlreadyDone("pool already open")


def check_can_take(invitation: Invitation, presser: Member, contact: Contact,
                   unfit: Exclusion | None = None) -> None:
    """A press on Take: the invitee's own, still pending, the contact still waiting, and the
    invitee still passing the matching rules (`unfit`: why not, from domain.matching). What
    went wrong is told plainly: a second tap, someone faster, a pool that closed."""
    if invitation.member_id != presser.id:
        raise NotAllowed("invitation belongs to someone else")
    if invitation.state is InvitationState.TAKEN:
        raise AlreadyDone("already taken by you")
    if invitation.state is InvitationState.LOST:
        raise PoolTaken()
    if invitation.state is InvitationState.EXPIRED:
        raise PoolLapsed("invitation expired")
    if invitation.state is not InvitationState.PENDING or contact.status is not Status.NEW:
        raise PoolClosed(f"invitation is {invitation.state}, contact is {contact.status}")
    if unfit is not None:
        raise PoolUnfit(unfit)


def lapsed(invitation: Invitation, now: datetime, ttl: timedelta) -> bool:
    """Still pending after an offer's time to answer: nobody took it, the pool ends."""
    return invitation.state is InvitationState.PENDING and invitation.created_at < now - ttl


def check_can_pass(invitation: Invitation, presser: Member) -> None:
    """"Not me" closes only the presser's own pending invitation."""
    if invitation.member_id != presser.id:
        raise NotAllowed("invitation belongs to someone else")
    if invitation.state is InvitationState.PASSED:
        raise AlreadyDone("already passed")
    if invitation.state is not InvitationState.PENDING:
        raise PoolClosed(f"invitation is {invitation.state}")


def lost_race(invitation: Invitation | None, contact: Contact | None) -> NoLongerAvailable:
    """Why a Take that passed the checks still lost the conditional update: read again."""
    if invitation is not None and invitation.state is InvitationState.LOST:
        return PoolTaken()
    if contact is not None and contact.is_assigned:
        return PoolTaken()
    return PoolClosed("moved on meanwhile")
