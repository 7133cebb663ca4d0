"""The figures of one run, from what it observed (simulation.world.Log), by the
definitions in domain.cracks. Plain English: the table is a developer's tool."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.cracks import (
    held_to_quiet,
    in_quiet_hours,
    inconsistencies,
    percentile,
    unheld_fall,
    unheld_spans,
)
from domain.offers import OfferStatus, Release
from domain.timing import parse_quiet_hours
from simulation.world import Log


@dataclass(frozen=True)
class Figures:
    seekers: int
    duplicates: int
    fallen_unheld: int
    fallen_holder: int
    alarms_per_dispatcher_day: float
    undispatched_alarms: int
    handovers: int
    first_attempt_median_h: float | None
    first_attempt_p90_h: float | None
    never_attempted: int
    reached_48h: float | None
    reached_7d: float | None
    met: float
    offers: int
    offers_per_accepted: float
    expiries: int
    escalations: int
    reassignments: int
    hand_backs: int
    dispatcher_messages_day: float
    multiplier_messages_day: float
    team_chat_posts_day: float
    quiet_violations: int
    inconsistent: int

    @property
    def fallen(self) -> int:
        return self.fallen_unheld + self.fallen_holder


def fallen_unheld(log: Log) -> list[int]:
    """The seekers left without a holder too long with no alarm naming them (domain.cracks)."""
    alarms = _alarms_by_contact(log)
    return [cid for cid in sorted(log.arrived)
            if unheld_fall(unheld_spans(log.samples.get(cid, [])), alarms.get(cid, []), log.end)]


def explain(log: Log) -> str:
    """Who fell through the cracks and why: each fallen seeker's status changes and the
    moments a dispatcher was told about them (UTC). A developer's listing, plain English."""
    alarms = _alarms_by_contact(log)
    lines = []
    for cid in fallen_unheld(log) + sorted(log.held_falls & set(log.arrived)):
        changes = [(at, status) for i, (at, status) in enumerate(log.samples.get(cid, []))
                   if i == 0 or log.samples[cid][i - 1][1] is not status]
        lines.append(f"#{cid} arrived {log.arrived[cid]:%m-%d %H:%M}")
        lines.append("  status: " + ", ".join(f"{at:%m-%d %H:%M} {s.value}" for at, s in changes))
        told = ", ".join(f"{at:%m-%d %H:%M}" for at in alarms.get(cid, [])) or "never"
        lines.append(f"  told: {told}")
    return "\n".join(lines)


def figures(log: Log) -> Figures:
    days = (log.end - log.start) / timedelta(days=1)
    arrived = log.arrived
    waits = sorted((log.attempted[c] - arrived[c]) / timedelta(hours=1)
                   for c in arrived if c in log.attempted)
    offers = log.offers
    accepted = {o.contact_id for o in offers if o.status is OfferStatus.ACCEPTED}
    n_disp = len(log.dispatchers)
    private = Counter(s.member_id for s in log.sent if s.chat_id > 0)
    team_alarms = sum(1 for s in log.sent if s.chat_id < 0 and s.purpose == "alarm")
    digest_alarms = sum(1 for s in log.sent if s.member_id in log.dispatchers
                        and s.purpose == "digest" and s.names)
    by_offer = Counter(o.status for o in offers)
    released = Counter(o.release for o in offers if o.release is not None)
    return Figures(
        seekers=len(arrived), duplicates=log.duplicates,
        fallen_unheld=len(fallen_unheld(log)), fallen_holder=len(log.held_falls & set(arrived)),
        alarms_per_dispatcher_day=(team_alarms * n_disp + digest_alarms) / n_disp / days,
        undispatched_alarms=_keyed(log, "undispatched:"), handovers=_keyed(log, "auto-handover:"),
        first_attempt_median_h=percentile(waits, 50), first_attempt_p90_h=percentile(waits, 90),
        never_attempted=sum(1 for c in arrived if c not in log.attempted),
        reached_48h=_share_within(log, log.reached, timedelta(hours=48)),
        reached_7d=_share_within(log, log.reached, timedelta(days=7)),
        met=len([c for c in arrived if c in log.met]) / max(len(arrived), 1),
        offers=len(offers), offers_per_accepted=len(offers) / max(len(accepted), 1),
        expiries=by_offer[OfferStatus.EXPIRED],
        escalations=sum(len(v) for v in log.escalated.values()),
        reassignments=released[Release.REASSIGNED], hand_backs=released[Release.HANDED_BACK],
        dispatcher_messages_day=sum(private[m] for m in log.dispatchers) / n_disp / days,
        multiplier_messages_day=sum(private[m] for m in log.multipliers) / len(log.multipliers) / days,
        team_chat_posts_day=sum(1 for s in log.sent if s.chat_id < 0) / days,
        quiet_violations=quiet_violations(log),
        inconsistent=sum(1 for cid, (status, holder) in log.final.items()
                         if inconsistencies(status, holder,
                                            [o for o in offers if o.contact_id == cid])),
    )


def _keyed(log: Log, prefix: str) -> int:
    return sum(1 for s in log.sent if (s.dedupe_key or "").startswith(prefix))


def _alarms_by_contact(log: Log) -> dict[int, list[datetime]]:
    """When a dispatcher was told about each contact: team-chat alarms, digest lines."""
    told: dict[int, list[datetime]] = {}
    for s in log.sent:
        if (s.chat_id < 0 and s.purpose == "alarm") or (
                s.member_id in log.dispatchers and s.purpose == "digest"):
            for cid in s.names:
                told.setdefault(cid, []).append(s.at)
    return told


def _share_within(log: Log, when: dict[int, datetime], limit: timedelta) -> float | None:
    """Of the seekers who arrived at least `limit` before the end, the share done in time
    (None when the run is too short for anyone to count)."""
    eligible = [c for c, at in log.arrived.items() if at + limit <= log.end]
    done = [c for c in eligible if c in when and when[c] - log.arrived[c] <= limit]
    return len(done) / len(eligible) if eligible else None


def quiet_violations(log: Log) -> int:
    """Messages held to quiet hours that the bot let go inside their reader's quiet hours.
    Judged by when it let them go (`Sent.due`), not by the tick that delivered them: a ping
    queued at 20:50 goes out at once in the bot, and only the simulator's 30-minute step
    hands it over at 21:00."""
    if not log.quiet:
        return 0
    start, end = parse_quiet_hours(log.quiet)
    zone = ZoneInfo(log.zone)
    return sum(1 for s in log.sent
               if s.chat_id > 0 and held_to_quiet(s.purpose, s.dedupe_key)
               and in_quiet_hours(s.due.astimezone(zone).time(), start, end))
