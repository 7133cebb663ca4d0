"""'Update needed': when a contact has sat too long in a stage, ask its multiplier; after
K unanswered asks, escalate to the dispatchers. Care for each seeker, not policing."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.contacts import Contact, Status
from domain.errors import AlreadyAsked


class NagAction(StrEnum):
    NONE = "none"
    NAG = "nag"
    ESCALATE = "escalate"


@dataclass(frozen=True)
class NagPolicy:
    """How long each stage may sit still. ACCEPTED uses the promised days of the offer."""

    stage_limits: dict[Status, timedelta]
    interval: timedelta  # between two nags about the same contact
    max_nags: int  # unanswered nags before escalation

    def limit(self, status: Status, promised_days: int) -> timedelta | None:
        if status is Status.ACCEPTED:
            return timedelta(days=promised_days)
        return self.stage_limits.get(status)

    def first_due(self, statuses: Iterable[Status], now: datetime) -> dict[Status, datetime]:
        """For each of `statuses` that has a limit, the latest stage clock (`stage_clock`)
        at which a contact in it can be due for a reminder at `now`. A job reads only the
        contacts whose stage started by then, not every held one. An accepted offer
        promises at least one day (domain.offers.DAY_CHOICES; the team's default is at
        least one)."""
        return {s: now - wait for s in statuses if (wait := self.limit(s, 1)) is not None}


def stage_clock(contact: Contact) -> datetime:
    """Where the reminder clock of the contact's stage starts. A scheduled meeting starts it
    at the meeting, not at the tap: nobody is asked before the meeting, and once it passed
    without "met" the stage's usual wait runs from it."""
    return stage_start(contact.status, contact.stage_changed_at or contact.created_at,
                       contact.meeting_at)


def stage_start(status: Status, changed_at: datetime, meeting_at: datetime | None) -> datetime:
    """stage_clock() from the columns it reads (`changed_at`: when the stage was entered)."""
    if status is Status.MEETING_SCHEDULED and meeting_at is not None:
        return max(meeting_at, changed_at)
    return changed_at


def nag_action(
    contact: Contact,
    nag_count: int,
    last_nag_at: datetime | None,
    escalated: bool,
    promised_days: int,
    policy: NagPolicy,
    now: datetime,
) -> NagAction:
    limit = policy.limit(contact.status, promised_days)
    since = stage_clock(contact)
    if limit is None or escalated or now - since < limit:
        return NagAction.NONE
    if last_nag_at is not None and now - last_nag_at < policy.interval:
        return NagAction.NONE
    return NagAction.ESCALATE if nag_count >= policy.max_nags else NagAction.NAG


def auto_close_due(contact: Contact, after: timedelta, now: datetime) -> bool:
    """A seeker nobody could reach for long enough is closed with reason 'no response'."""
    since = contact.stage_changed_at or contact.created_at
    return contact.status is Status.COULD_NOT_REACH and now - since >= after


@dataclass(frozen=True)
class Asked:
    """The reminder state after a dispatcher asked the holder for an update."""

    nag_count: int
    last_nag_at: datetime


def dispatcher_ask(contact: Contact, now: datetime, interval: timedelta) -> Asked:
    """A dispatcher's "ask for an update" is an ask like a reminder, so it counts as one:
    it adds to the unanswered reminders that lead to an escalation, and the next automatic
    reminder waits `interval` after it (the holder is not asked twice in a row). It never
    escalates by itself: `nag_action` still waits for the stage's limit, so an early ask
    cannot flag anyone as not responding. A second ask within `interval` is refused."""
    if contact.update_requested_at is not None and now - contact.update_requested_at < interval:
        raise AlreadyAsked("update asked")
    return Asked(contact.nag_count + 1, now)
