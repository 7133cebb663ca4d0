"""What "fallen through the cracks", a quiet-hour violation and an inconsistent contact mean."""

from datetime import UTC, datetime, time, timedelta

from domain.contacts import Status
from domain.cracks import (
    Span,
    escalation_deadline,
    held_to_quiet,
    in_quiet_hours,
    inconsistencies,
    percentile,
    unheld_fall,
    unheld_spans,
)
from domain.offers import Offer, OfferStatus, Release

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_spans_without_a_holder_from_samples() -> None:
    samples = [(at(0), Status.NEW), (at(1), Status.OFFERED), (at(2), Status.ACCEPTED),
               (at(30), Status.NEW), (at(31), Status.NEW)]
    assert unheld_spans(samples) == [Span(at(0), at(2)), Span(at(30), None)]


def test_unheld_over_48_hours_falls_unless_an_alarm_came_in_time() -> None:
    spans = [Span(at(0), at(60))]
    assert unheld_fall(spans, [], at(100))
    assert not unheld_fall(spans, [at(7)], at(100))
    assert unheld_fall(spans, [at(50)], at(100))  # after the 48 h it no longer helped
    assert not unheld_fall([Span(at(0), at(47))], [], at(100))
    assert unheld_fall([Span(at(0), None)], [], at(49))  # still waiting at the end


def test_escalation_deadline_is_limit_reminders_and_grace() -> None:
    due = escalation_deadline(at(0), timedelta(days=3), timedelta(hours=24), 2)
    assert due == at(72 + 48 + 24)


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    assert in_quiet_hours(time(23), time(21), time(8))
    assert in_quiet_hours(time(7, 59), time(21), time(8))
    assert not in_quiet_hours(time(8), time(21), time(8))
    assert in_quiet_hours(time(13), time(12), time(14))
    assert not in_quiet_hours(time(13), time(9), time(9))


def test_what_must_wait_for_the_morning() -> None:
    assert held_to_quiet("digest", "digest:3:2026")
    assert held_to_quiet("notice", "nag:12:1:2026")
    assert held_to_quiet("new_contact", None)
    assert not held_to_quiet("alarm", "escalate:12:2026")
    assert not held_to_quiet("offer", None)


def offer(status: OfferStatus, multiplier: int = 5, release: Release | None = None) -> Offer:
    return Offer(1, 10, multiplier, 1, status, T0, at(24), 2, release=release)


def test_status_and_offers_must_agree() -> None:
    assert inconsistencies(Status.OFFERED, None, [offer(OfferStatus.PENDING)]) == []
    assert inconsistencies(Status.NEW, None, [offer(OfferStatus.PENDING)])
    assert inconsistencies(Status.OFFERED, None, [])
    assert inconsistencies(Status.REACHED, 5, [offer(OfferStatus.ACCEPTED)]) == []
    assert inconsistencies(Status.REACHED, 5, [offer(OfferStatus.ACCEPTED, release=Release.REASSIGNED)])
    assert inconsistencies(Status.REACHED, None, [])
    assert inconsistencies(Status.NEW, 5, [])


def test_percentile_is_an_observed_value() -> None:
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile([1, 2, 3, 4], 50) == 2
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile([], 50) is None
