"""What "nobody falls through the cracks" means, in numbers a run of the team can be held
to (the simulator, `dispatchbot simulate`, measures them on a virtual month):

- a seeker is **fallen through the cracks** when they were without a holder for more than
  `UNHELD_LIMIT` and no alarm named them to a dispatcher in that time (an alarm: the
  undispatched alarm, an escalation, or a digest line naming them), or when their holder
  stopped answering and no escalation came within the stage's limit, the reminders and a
  grace for quiet hours;
- a **quiet-hour violation** is a digest, reminder or ping delivered inside its reader's
  quiet hours (escalations, alarms and offers a dispatcher chose to send are allowed);
- a contact is **inconsistent** when its status and its offers disagree.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from domain.contacts import ASSIGNED_STATUSES, Status
from domain.offers import Offer, OfferStatus

#: Longer than this without a holder, a seeker must have been named in an alarm.
UNHELD_LIMIT = timedelta(hours=48)
#: What an escalation may take beyond the stage's limit and the reminders: reminders wait for
#: the morning (quiet hours) and the job's interval.
ESCALATION_GRACE = timedelta(hours=24)

#: Statuses in which nobody holds the seeker and the team owes them a dispatch.
UNHELD = frozenset({Status.NEW, Status.OFFERED, Status.ON_HOLD})

#: Outbox purposes that must wait for the reader's morning (digests, pings about events).
QUIET_PURPOSES = frozenset({"digest", "new_contact", "declined", "expired_ping", "auto_closed"})
#: Reminders to a holder are notices with a de-duplication key starting so.
REMINDER_KEY = "nag:"


@dataclass(frozen=True)
class Span:
    """A stretch of time a seeker spent without a holder (end None: still so at the end)."""

    start: datetime
    end: datetime | None


def unheld_spans(samples: Iterable[tuple[datetime, Status]]) -> list[Span]:
    """The stretches without a holder, from the contact's status sampled in time order."""
    spans: list[Span] = []
    start: datetime | None = None
    for at, status in samples:
        if status in UNHELD and start is None:
            start = at
        elif status not in UNHELD and start is not None:
            spans.append(Span(start, at))
            start = None
    if start is not None:
        spans.append(Span(start, None))
    return spans


def unheld_fall(spans: Sequence[Span], alarms: Sequence[datetime], until: datetime) -> bool:
    """True when a stretch without a holder outlasted the limit and no alarm came in it
    before the limit ran out (the alarm must reach a dispatcher while it still helps)."""
    for span in spans:
        end = span.end or until
        if end - span.start <= UNHELD_LIMIT:
            continue
        deadline = span.start + UNHELD_LIMIT
        if not any(span.start <= a <= deadline for a in alarms):
            return True
    return False


def escalation_deadline(stage_clock: datetime, limit: timedelta, interval: timedelta,
                        max_nags: int) -> datetime:
    """By when a holder who stopped answering must have been escalated."""
    return stage_clock + limit + interval * max_nags + ESCALATION_GRACE


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    """`local` (the reader's wall clock) falls in quiet hours that may cross midnight."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def held_to_quiet(purpose: str, dedupe_key: str | None) -> bool:
    """A message that must not reach a person inside their quiet hours."""
    return purpose in QUIET_PURPOSES or (dedupe_key or "").startswith(REMINDER_KEY)


def inconsistencies(status: Status, assignee_id: int | None, offers: Sequence[Offer]) -> list[str]:
    """What is wrong between a contact's status and its offers (empty: nothing)."""
    pending = [o for o in offers if o.status is OfferStatus.PENDING]
    problems = []
    if len(pending) > 1:
        problems.append("more than one pending offer")
    if (status is Status.OFFERED) != bool(pending):
        problems.append(f"{status} with {len(pending)} pending offers")
    if status in ASSIGNED_STATUSES:
        held = [o for o in offers if o.status is OfferStatus.ACCEPTED
                and o.multiplier_id == assignee_id and o.release is None]
        if assignee_id is None or not held:
            problems.append(f"{status} without an accepted offer of its holder")
    elif status in UNHELD and assignee_id is not None:
        problems.append(f"{status} with a holder")
    return problems


def percentile(values: Sequence[float], p: int) -> float | None:
    """The observed value at or below which p% of the values lie (nearest rank)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[rank - 1]
