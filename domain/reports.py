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
class SourceFunnel:
    """The seekers one source (or campaign) brought in the period, and how far they got
    since: a cohort, so the conversions compare like with like."""

    source: str  # as typed or sent ("instagram · spring"); "" when none was given
    new: int  # arrived in the period
    dispatched: int  # of them, offered at least once
    reached: int  # of them, reported reached by a multiplier
    met: int  # of them, met

    @property
    def conversions(self) -> tuple[float | None, float | None, float | None, float | None]:
        """new -> dispatched, dispatched -> reached, reached -> met, and new -> met."""
        return (_share(self.dispatched, self.new), _share(self.reached, self.dispatched),
                _share(self.met, self.reached), _share(self.met, self.new))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class AreaWeek:
    """Seekers who arrived from one area in one week (weeks start on Monday, UTC)."""

    area: str  # area key; "" for a place not given or not mapped to a known area
    week: date  # the Monday
    seekers: int


def week_of(at: datetime) -> date:
    """The Monday (UTC) of the week `at` falls in."""
    day = at.astimezone(ZoneInfo("UTC")).date()
    return day - timedelta(days=day.weekday())


def area_weeks(arrivals: list[tuple[str | None, datetime]]) -> list[AreaWeek]:
    """(area key, arrival) rows -> seekers per area and week, in area then week order."""
    counts: dict[tuple[str, date], int] = {}
    for area, at in arrivals:
        key = (area or "", week_of(at))
        counts[key] = counts.get(key, 0) + 1
    return [AreaWeek(area, week, n) for (area, week), n in sorted(counts.items())]


#: "Their own last month": the 30 days to the report's end, against the 30 days before.
COACHING_WINDOW = timedelta(days=30)
#: A count rose when it is higher than the month before and at least this (1 after 0 is noise).
COACHING_FLOOR = 2


@dataclass(frozen=True)
class Slips:
    """What a multiplier let slip in a month."""

    declines: int = 0  # offers they said No to
    lapses: int = 0  # offers they let expire
    overdue: int = 0  # reminders about seekers they held (an update was overdue)


@dataclass(frozen=True)
class Coaching:
    """A multiplier whose slips rose against their own previous month: who may need help."""

    member_id: int
    name: str
    now: Slips
    before: Slips

    @property
    def rose(self) -> list[str]:
        """The counts that rose ("declines", "lapses", "overdue"), in that order."""
        return [name for name in ("declines", "lapses", "overdue")
                if getattr(self.now, name) > getattr(self.before, name)
                and getattr(self.now, name) >= COACHING_FLOOR]


def coaching(names: dict[int, str], now: dict[int, Slips], before: dict[int, Slips]) -> list[Coaching]:
    """Multipliers with at least one count that rose, the most slips first."""
    rows = [Coaching(member_id, names[member_id], now.get(member_id, Slips()),
                     before.get(member_id, Slips()))
            for member_id in sorted(names)]
    risen = [r for r in rows if r.rose]
    return sorted(risen, key=lambda r: (-(r.now.declines + r.now.lapses + r.now.overdue), r.name))


#: How far before a period stage changes are read: a stay that ended in it began at most so long before.
STAGE_LOOKBACK = timedelta(days=180)


def stage_times(changes: list[tuple[int, datetime, Status]], period: Period) -> dict[Status, list[timedelta]]:
    """Where seekers wait: for each stage, how long the stays that ended in the period lasted.
    `changes` are (contact, when, stage entered) — an accept enters ACCEPTED, each reported
    stage its stage; a stay ends when the next one of the same contact begins."""
    times: dict[Status, list[timedelta]] = {}
    ordered = sorted(changes, key=lambda c: (c[0], c[1]))
    for (contact, entered, stage), (following, left, _next) in zip(ordered, ordered[1:]):
        if contact == following and period.start <= left < period.end:
            times.setdefault(stage, []).append(left - entered)
    return times


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
    sources: list[SourceFunnel] = field(default_factory=list)  # most seekers first
    areas: list[AreaWeek] = field(default_factory=list)
    #: Free places now per area key (available multipliers' capacity minus their load).
    free_capacity: dict[str, int] = field(default_factory=dict)
    coaching: list[Coaching] = field(default_factory=list)
    #: Stays that ended in the period, per stage: NEW is arrival to first offer, OFFERED an
    #: offer's wait for its answer (or lapse), the rest from domain.reports.stage_times.
    stage_times: dict[Status, list[timedelta]] = field(default_factory=dict)
    #: Available multipliers with free places who hold nobody and had no offer for two weeks
    #: (domain.supply): (name, free places).
    idle: list[tuple[str, int]] = field(default_factory=list)


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
