"""A contact (seeker/lead) and the stages of its path from intake to ongoing meetings."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.members import Gender
from domain.names import call_name


class Status(StrEnum):
    NEW = "new"  # waiting for dispatch
    OFFERED = "offered"  # one offer is pending
    ON_HOLD = "on_hold"
    # the seeker path, once a multiplier accepted
    ACCEPTED = "accepted"
    ATTEMPTED = "attempted"
    REACHED = "reached"
    MEETING_SCHEDULED = "meeting_scheduled"
    MET = "met"
    ONGOING = "ongoing"
    COULD_NOT_REACH = "could_not_reach"
    NOT_INTERESTED = "not_interested"
    CLOSED = "closed"
    MERGED = "merged"  # merged into an older record of the same seeker (merged_into)


#: Stages the assigned multiplier reports with buttons, in the order the buttons show.
FOLLOW_UP_STAGES: tuple[Status, ...] = (
    Status.ATTEMPTED,
    Status.REACHED,
    Status.MEETING_SCHEDULED,
    Status.MET,
    Status.ONGOING,
    Status.COULD_NOT_REACH,
    Status.NOT_INTERESTED,
)

#: Statuses in which a multiplier holds the contact.
ASSIGNED_STATUSES = frozenset({Status.ACCEPTED, *FOLLOW_UP_STAGES})

#: What counts against a multiplier's capacity: a seeker who is not interested takes no time.
LOAD_STATUSES = ASSIGNED_STATUSES - {Status.NOT_INTERESTED}


class CloseReason(StrEnum):
    SPAM = "spam"
    INVALID = "invalid"
    NOT_INTERESTED = "not_interested"  # no longer interested (a dispatcher closing a held contact)
    NO_RESPONSE = "no_response"  # could not be reached (also the auto-close's reason)


#: What a dispatcher may close a contact someone holds with, in the order the buttons show.
HELD_CLOSE_REASONS: tuple[CloseReason, ...] = (
    CloseReason.NOT_INTERESTED, CloseReason.NO_RESPONSE, CloseReason.INVALID, CloseReason.SPAM)


@dataclass(frozen=True)
class ContactDetails:
    """Everything a person typed about the seeker. Private: only the assignee sees all of it."""

    name: str
    phone: str | None = None
    tg_username: str | None = None
    email: str | None = None
    gender: Gender = Gender.UNKNOWN
    language: str = ""
    area: str = ""
    source: str = ""
    notes: str = ""
    tg_user_id: int | None = None
    #: The parts of `name`, where the source told them apart (None: read `name` instead).
    given_name: str | None = None
    family_name: str | None = None

    @property
    def call_name(self) -> str:
        """What the team chat and an offer may show: the given name, never the surname."""
        return call_name(self.name, self.given_name)


@dataclass(frozen=True)
class Contact:
    id: int
    details: ContactDetails
    status: Status
    created_at: datetime
    waiting_since: datetime
    created_by: int | None = None
    assignee_id: int | None = None
    close_reason: str | None = None
    dispatch_note: str = ""
    stage_changed_at: datetime | None = None
    nag_count: int = 0
    last_nag_at: datetime | None = None
    escalated_at: datetime | None = None
    area_key: str | None = None  # the known area `details.area` means; None: not mapped yet
    auto_dispatch: bool = False  # the bot offers it by itself until a dispatcher steps in
    auto_tries: int = 0
    merged_into: int | None = None
    #: A dispatcher's open "ask for an update" (domain.followup_rules.dispatcher_ask): when, by whom.
    update_requested_at: datetime | None = None
    update_requested_by: int | None = None
    #: One of a burst of arrivals (domain.bursts): its team card waits until a dispatcher
    #: opens or offers it, or auto-dispatch hands it over (services.card_queue).
    card_held: bool = False
    batch_id: int | None = None  # the arrival batch (an import, a minute of one API key)
    #: When the team was last told it waited too long for dispatch (once per wait: see
    #: `alarmed_this_wait`).
    undispatched_alarm_at: datetime | None = None
    #: The follow-up record: the meeting the holder set (UTC) and where, and the short note
    #: (or the meeting's result) that came with the latest stage.
    meeting_at: datetime | None = None
    meeting_place: str = ""
    stage_note: str = ""

    @property
    def is_held(self) -> bool:
        """A multiplier holds it: they said Yes and it is on their path."""
        return self.is_assigned and self.assignee_id is not None

    @property
    def alarmed_this_wait(self) -> bool:
        """The undispatched alarm named it since its waiting clock last started (entry, or a
        holder letting it go). Once per wait: a seeker who comes back to dispatch after a
        hand-back or a reassignment waits afresh and is raised again if nobody takes them;
        one whose offers lapse or are declined is still in the same wait."""
        at = self.undispatched_alarm_at
        return at is not None and at >= self.waiting_since

    @property
    def is_assigned(self) -> bool:
        return self.status in ASSIGNED_STATUSES
