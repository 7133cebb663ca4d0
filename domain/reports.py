"""What the reports count, defined once: periods, counters, per-role figures, the
time-to-dispatch distribution. Storage aggregates the rows; these are the definitions."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.contacts import Status
from domain.errors import InvalidInput
from domain.milestones import Milestone
from domain.numbers import parse_int
from domain.web_forms import FormFigures

MAX_PERIOD = timedelta(days=366)

#: "Closed" in the counters: the seeker's path ended, whichever way.
CLOSED_STAGES = frozenset({Status.COULD_NOT_REACH, Status.NOT_INTERESTED})
#: How long contacts waited for their first offer, in the buckets a chart shows.
DISPATCH_BUCKETS: tuple[tuple[timedelta | None, str], ...] = (
    (timedelta(hours=1), "<1h"), (timedelta(hours=4), "1-4h"), (timedelta(hours=24), "4-24h"),
    (timedelta(days=3), "1-3d"), (None, ">3d"),
)


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start) / timedelta(days=1)))


def parse_period(text: str, now: datetime, zone: ZoneInfo) -> Period:
    """'' -> last 7 days; '30' or '30d' -> last 30 days; '2026-11-01 2026-11-26' -> those
    whole days in the team's zone, both included."""
    parts = text.replace("—", " ").replace("..", " ").split()
    up_to_now = now + timedelta(microseconds=1)  # what happened this very moment counts
    if not parts:
        return Period(now - timedelta(days=7), up_to_now)
    if len(parts) == 1:
        days = parse_int(parts[0].removesuffix("d"), 1, MAX_PERIOD.days, "period")
        return Period(now - timedelta(days=days), up_to_now)
    if len(parts) == 2:
        return _whole_days(parts[0], parts[1], zone)
    raise InvalidInput("period")


def _whole_days(first_day: str, last_day: str, zone: ZoneInfo) -> Period:
    """The calendar ends at 9999-12-31 and starts at 0001-01-01: a day past either edge (or a
    zone shift across it) overflows, which is a bad period, not a crash."""
    try:
        first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
        start = datetime.combine(first, time(), zone)
        end = datetime.combine(last + timedelta(days=1), time(), zone)
        period = Period(start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC")))
    except (ValueError, OverflowError):
        raise InvalidInput("period") from None
    if not timedelta(0) < period.end - period.start <= MAX_PERIOD:
        raise InvalidInput("period")
    return period


@dataclass(frozen=True)
class Counters:
    new: int = 0  # contacts that arrived in the period
    dispatched: int = 0  # contacts offered at least once in the period
    accepted: int = 0  # offers accepted in the period
    reached: int = 0  # accepted contacts first reported reached in the period
    met: int = 0  # contacts moved to "met" in the period
    closed: int = 0  # closed as spam/invalid/stale, could not reach, or not interested
    waiting_now: int = 0  # new, offered or on hold at the moment of the report


@dataclass
class MultiplierFigures:
    member_id: int
    name: str
    offers: int = 0
    accepted: int = 0
    accept_times: list[timedelta] = field(default_factory=list)  # offer -> Yes
    first_contact_times: list[timedelta] = field(default_factory=list)  # Yes -> first stage
    overdue_now: int = 0  # held contacts with a reminder or escalation unanswered
    met: int = 0

    @property
    def accepted_share(self) -> float | None:
        return self.accepted / self.offers if self.offers else None


@dataclass
class DispatcherFigures:
    member_id: int | None  # None: auto-dispatch
    name: str
    offers: int = 0
    waits: list[timedelta] = field(default_factory=list)  # contact available -> this offer


@dataclass
class OperatorFigures:
    member_id: int
    name: str
    entered: int = 0  # contacts they created
    triaged: int = 0  # seeker conversations they handled
    triage_times: list[timedelta] = field(default_factory=list)
    spam: int = 0

    @property
    def spam_share(self) -> float | None:
        return self.spam / self.triaged if self.triaged else None


@dataclass(frozen=True)
class Report:
    period: Period
    counters: Counters
    funnel: dict[Status, int]  # contacts that arrived in the period, by where they are now
    multipliers: list[MultiplierFigures]
    dispatchers: list[DispatcherFigures]
    operators: list[OperatorFigures]
    dispatch_times: list[timedelta]  # arrival -> first offer, for contacts first offered in it
    web_forms: list[FormFigures] = field(default_factory=list)  # forms busy in the period
    #: Seekers who reached each faith milestone in the period (domain.milestones).
    milestones: dict[Milestone, int] = field(default_factory=dict)


def median(values: list[timedelta]) -> timedelta | None:
    """The lower median: an observed value, never an average of two."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def histogram(times: list[timedelta]) -> list[tuple[str, int]]:
    counts = dict.fromkeys((label for _, label in DISPATCH_BUCKETS), 0)
    for value in times:
        label = next(lb for limit, lb in DISPATCH_BUCKETS if limit is None or value < limit)
        counts[label] += 1
    return list(counts.items())


def offer_waits(arrived: datetime, offers: list[tuple[datetime, datetime | None]]) -> list[timedelta]:
    """For each offer of one contact (created, answered; in order), how long the contact had
    been available: since it arrived, or since the previous offer was answered or lapsed."""
    waits, available = [], arrived
    for created, answered in offers:
        waits.append(max(created - available, timedelta(0)))
        available = answered or created
    return waits


@dataclass(frozen=True)
class Progress:
    """A multiplier's own counters for /me, against a monthly target when an admin set one."""

    taken: int
    reached: int
    met: int
    closed: int
    target: int | None

    @property
    def target_share(self) -> float | None:
        return min(1.0, self.met / self.target) if self.target else None
