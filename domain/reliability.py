"""A multiplier's track record, and how much a dispatcher can count on them.

Small histories are smoothed towards the middle (one declined offer does not make someone
unreliable, one accepted one does not make them a star)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from domain.contacts import Status
from domain.followup_rules import NagAction

#: How far back the track record looks, and how far back reminders count against it.
HISTORY = timedelta(days=180)
RECENT = timedelta(days=30)
#: What the audit log calls a reminder and an escalation (services.nags records them).
REMINDER_ACTIONS = (NagAction.NAG.value, NagAction.ESCALATE.value)


@dataclass(frozen=True)
class Track:
    offers: int = 0  # offers answered or lapsed (pending ones are not judged yet)
    accepted: int = 0
    median_answer: timedelta | None = None  # offer sent -> Yes or No
    judged: int = 0  # accepted offers whose promised days are over, or that were reached
    in_time: int = 0  # of those, reached within the promised days
    recent_nags: int = 0
    recent_escalations: int = 0
    last_offer_at: datetime | None = None

    @property
    def acceptance(self) -> float | None:
        return self.accepted / self.offers if self.offers else None

    @property
    def timeliness(self) -> float | None:
        return self.in_time / self.judged if self.judged else None

    @cached_property
    def reliability(self) -> float:
        """Kept on the record: a record is reused by every ranking while it holds."""
        return reliability(self)


def reliability(track: Track) -> float:
    """0..1: acceptance, keeping the promised days and answering quickly, less reminders."""
    acceptance = (track.accepted + 1) / (track.offers + 2)
    timeliness = (track.in_time + 1) / (track.judged + 2)
    if track.median_answer is None:
        speed = 0.5
    else:
        speed = 1 / (1 + track.median_answer / timedelta(hours=12))
    penalty = min(1.0, 0.15 * track.recent_nags + 0.3 * track.recent_escalations)
    return (0.35 * acceptance + 0.4 * timeliness + 0.25 * speed) * (1 - penalty)


#: Stages that mean the multiplier got through to the seeker: the promise was kept.
REACHED_STAGES = frozenset(
    {Status.REACHED, Status.MEETING_SCHEDULED, Status.MET, Status.ONGOING, Status.NOT_INTERESTED}
)


@dataclass(frozen=True)
class AnsweredOffer:
    """What the track record needs of one past offer."""

    status: str  # domain.offers.OfferStatus value
    created_at: datetime
    answered_at: datetime | None
    days: int
    reached_at: datetime | None


@dataclass(frozen=True)
class Reminder:
    """A reminder or escalation a multiplier's contact got while they held it."""

    at: datetime
    action: str  # "nag" or "escalate"


#: The smallest step of a stored time: a window's edge is inclusive, so one leaves it just after.
_TICK = timedelta(microseconds=1)


def track_as_of(offers: Sequence[AnsweredOffer], reminders: Sequence[Reminder],
                last_offer_at: datetime | None, now: datetime) -> tuple[Track, datetime]:
    """The record at `now` from a member's offers and reminders of any age (those out of
    HISTORY and RECENT are left out here), and the first moment it may read otherwise with no
    new offer or reminder: one leaving its window, or an accepted offer's days running out.
    Until then a ranking may reuse it: it is read for every multiplier on every card."""
    since = now - HISTORY
    kept = [o for o in offers if o.created_at >= since]
    recent = [r for r in reminders if r.at >= now - RECENT]
    changes = [o.created_at + HISTORY + _TICK for o in kept]
    changes += [r.at + RECENT + _TICK for r in recent]
    changes += [o.answered_at + timedelta(days=o.days) for o in kept
                if o.status == "accepted" and not o.reached_at and o.answered_at
                and o.answered_at + timedelta(days=o.days) > now]
    track = build_track(kept, sum(r.action == "nag" for r in recent),
                        sum(r.action == "escalate" for r in recent), last_offer_at, now)
    return track, min(changes, default=datetime.max.replace(tzinfo=now.tzinfo))


def build_track(offers: list[AnsweredOffer], nags: int, escalations: int,
                last_offer_at: datetime | None, now: datetime) -> Track:
    """Withdrawn offers say nothing about the multiplier and are left out."""
    judged_offers = [o for o in offers if o.status in ("accepted", "declined", "expired")]
    accepted = [o for o in judged_offers if o.status == "accepted"]
    answers = sorted(o.answered_at - o.created_at for o in judged_offers
                     if o.answered_at and o.status != "expired")
    due = [o for o in accepted
           if o.reached_at or (o.answered_at and o.answered_at + timedelta(days=o.days) <= now)]
    in_time = [o for o in due if o.reached_at and o.answered_at
               and o.reached_at <= o.answered_at + timedelta(days=o.days)]
    return Track(
        offers=len(judged_offers),
        accepted=len(accepted),
        median_answer=answers[len(answers) // 2] if answers else None,
        judged=len(due),
        in_time=len(in_time),
        recent_nags=nags,
        recent_escalations=escalations,
        last_offer_at=last_offer_at,
    )
