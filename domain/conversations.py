"""Seekers who write to the bot: one conversation per sender, triaged once by the team, then
relayed between the seeker and their multiplier. A request = the first message + the
conversation + its status, so one person can run hundreds without losing any."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import AlreadyDone, NoLongerAvailable, NotAllowed
from domain.reports import median


class Triage(StrEnum):
    NEW = "new"  # nobody has looked yet
    CLAIMED = "claimed"  # an operator is on it
    SPAM = "spam"  # the sender is muted
    READ = "read"  # read, no action
    CONTACT = "contact"  # became a contact; dispatch takes over


class TriageAction(StrEnum):
    CLAIM = "claim"
    SPAM = "spam"
    READ = "read"
    CONTACT = "contact"


#: What each action leads to.
TRIAGE_RESULT = {
    TriageAction.CLAIM: Triage.CLAIMED,
    TriageAction.SPAM: Triage.SPAM,
    TriageAction.READ: Triage.READ,
    TriageAction.CONTACT: Triage.CONTACT,
}
#: States a card still has buttons in.
OPEN_TRIAGE = frozenset({Triage.NEW, Triage.CLAIMED})


class RelayStatus(StrEnum):
    NONE = "none"  # no multiplier holds it yet
    SEEKER_REPLIED = "seeker_replied"  # an answer is owed
    AWAITING_SEEKER = "awaiting_seeker"  # the team wrote last
    NOT_RESPONDING = "not_responding"  # the seeker waited too long for an answer
    CLOSED = "closed"  # the seeker never answered the first message


#: The text of a relayed message's outbox row when the seeker edited a message: it goes out
#: as an edit ("✏️ edited: …"), stored as a message of its own.
EDIT_MARK = "edited"


class Direction(StrEnum):
    IN = "in"  # from the seeker
    OUT = "out"  # from the team to the seeker


class Kind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    VOICE = "voice"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Conversation:
    id: int
    seeker_tg_id: int
    seeker_name: str
    seeker_username: str | None
    triage: Triage
    created_at: datetime
    round_started_at: datetime  # first message since the last triage: the triage clock
    claimed_by: int | None = None
    triaged_by: int | None = None
    contact_id: int | None = None
    relay_status: RelayStatus = RelayStatus.NONE
    handler_since: datetime | None = None  # when a multiplier took it over
    last_in_at: datetime | None = None
    last_out_at: datetime | None = None
    first_out_at: datetime | None = None
    slowed_at: datetime | None = None
    dropped: int = 0
    card: tuple[int, int] | None = None  # (chat id, message id) of the triage card
    seeker_given_name: str | None = None  # Telegram's first name
    seeker_family_name: str | None = None  # Telegram's last name, if any
    seeker_language: str | None = None  # Telegram's language_code, as last seen


@dataclass(frozen=True)
class ConversationMessage:
    id: int
    conversation_id: int
    direction: Direction
    kind: Kind
    text: str | None
    file_id: str | None
    at: datetime
    #: The member on the team's side: who wrote it (out), or whom it was relayed to (in).
    #: A message with one is private to that conversation: the team chat never shows it.
    sender_member_id: int | None = None


def check_triage(conv: Conversation, action: TriageAction, actor_id: int) -> None:
    """Handled once: the first action wins; after a claim only the claimer finishes it."""
    if conv.triage not in OPEN_TRIAGE:
        if conv.triaged_by == actor_id and TRIAGE_RESULT[action] is conv.triage:
            raise AlreadyDone(conv.triage)
        raise NoLongerAvailable(conv.triage)
    if conv.triage is Triage.CLAIMED:
        if conv.claimed_by != actor_id:
            raise NotAllowed("claimed")
        if action is TriageAction.CLAIM:
            raise AlreadyDone("claimed")


def reopens_triage(conv: Conversation, contact_open: bool) -> bool:
    """A new message after 'read', or about a contact that is closed, is a new request."""
    return conv.triage is Triage.READ or (conv.triage is Triage.CONTACT and not contact_open)


@dataclass(frozen=True)
class RelayPolicy:
    silent: timedelta  # seeker waits this long for an answer -> multiplier not responding
    no_answer: timedelta  # the first message unanswered this long -> closed


def status_after_message(direction: Direction) -> RelayStatus:
    return RelayStatus.SEEKER_REPLIED if direction is Direction.IN else RelayStatus.AWAITING_SEEKER


def timed_status(conv: Conversation, policy: RelayPolicy, now: datetime) -> RelayStatus | None:
    """The status time alone moves a relayed conversation to, or None to leave it as it is."""
    if conv.handler_since is None or conv.relay_status in (RelayStatus.NONE, RelayStatus.CLOSED):
        return None
    if conv.relay_status is RelayStatus.SEEKER_REPLIED:
        waiting_since = max(conv.last_in_at or conv.handler_since, conv.handler_since)
        if now - waiting_since >= policy.silent:
            return RelayStatus.NOT_RESPONDING
        return None
    if conv.relay_status is RelayStatus.AWAITING_SEEKER and conv.first_out_at is not None:
        answered = conv.last_in_at is not None and conv.last_in_at > conv.first_out_at
        if not answered and now - conv.first_out_at >= policy.no_answer:
            return RelayStatus.CLOSED
    return None


class FloodVerdict(StrEnum):
    ACCEPT = "accept"
    WARN = "warn"  # drop it and say "slow down" once
    DROP = "drop"  # drop it quietly (counted)


def flood_verdict(recent: int, limit: int, slowed_at: datetime | None, window_start: datetime
                  ) -> FloodVerdict:
    """`recent` = the sender's messages accepted since window_start. One warning per window."""
    if recent < limit:
        return FloodVerdict.ACCEPT
    if slowed_at is None or slowed_at < window_start:
        return FloodVerdict.WARN
    return FloodVerdict.DROP


@dataclass(frozen=True)
class TriageEvent:
    member_id: int
    action: TriageAction
    at: datetime
    waited: timedelta | None  # set on the first action of a round: from first message to it


@dataclass(frozen=True)
class TriageStats:
    triaged: int
    median_wait: timedelta | None
    spam: int
    by_member: dict[int, int]

    @property
    def spam_share(self) -> float:
        return self.spam / self.triaged if self.triaged else 0.0


def triage_stats(events: list[TriageEvent]) -> TriageStats:
    """Triaged = requests that left 'new'; a claim followed by 'contact' counts once."""
    firsts = [e for e in events if e.waited is not None]
    waits = [e.waited for e in firsts if e.waited is not None]
    by_member: dict[int, int] = {}
    for e in firsts:
        by_member[e.member_id] = by_member.get(e.member_id, 0) + 1
    spam = sum(1 for e in events if e.action is TriageAction.SPAM)
    return TriageStats(len(firsts), median(waits), spam, by_member)
