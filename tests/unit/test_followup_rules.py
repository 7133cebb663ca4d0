from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.contacts import Contact, ContactDetails, Status
from domain.delivery import DeliveryOutcome, classify_failure, retry_delay
from domain.errors import AlreadyAsked
from domain.offers import DAY_CHOICES
from domain.followup_rules import (
    NagAction,
    NagPolicy,
    auto_close_due,
    dispatcher_ask,
    nag_action,
)

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
POLICY = NagPolicy(
    stage_limits={Status.MEETING_SCHEDULED: timedelta(days=3), Status.ONGOING: timedelta(days=14)},
    interval=timedelta(hours=24), max_nags=2)


def contact(status: Status, days_in_stage: float) -> Contact:
    return Contact(id=1, details=ContactDetails(name="M"), status=status, created_at=NOW,
                   waiting_since=NOW, stage_changed_at=NOW - timedelta(days=days_in_stage))


@pytest.mark.parametrize("status, days, nags, last_nag_hours, escalated, expected", [
    (Status.ACCEPTED, 1.9, 0, None, False, NagAction.NONE),  # within the promised 2 days
    (Status.ACCEPTED, 2.0, 0, None, False, NagAction.NAG),
    (Status.ACCEPTED, 3.0, 1, 5, False, NagAction.NONE),  # nagged 5 h ago: wait
    (Status.ACCEPTED, 3.0, 1, 24, False, NagAction.NAG),
    (Status.ACCEPTED, 4.0, 2, 24, False, NagAction.ESCALATE),  # K=2 unanswered
    (Status.ACCEPTED, 9.0, 2, 99, True, NagAction.NONE),  # already escalated
    (Status.MEETING_SCHEDULED, 2.9, 0, None, False, NagAction.NONE),
    (Status.MEETING_SCHEDULED, 3.0, 0, None, False, NagAction.NAG),
    (Status.ONGOING, 13.9, 0, None, False, NagAction.NONE),
    (Status.ONGOING, 14.0, 0, None, False, NagAction.NAG),
    (Status.MET, 99, 0, None, False, NagAction.NONE),  # no limit configured for it
])
def test_nag_rules(status, days, nags, last_nag_hours, escalated, expected) -> None:  # type: ignore[no-untyped-def]
    last = NOW - timedelta(hours=last_nag_hours) if last_nag_hours is not None else None
    assert nag_action(contact(status, days), nags, last, escalated, 2, POLICY, NOW) is expected


def test_a_dispatchers_ask_counts_as_a_reminder() -> None:
    """Two unanswered asks (one by a dispatcher) escalate once the stage is overdue, and the
    next reminder waits the interval after the ask."""
    held = replace(contact(Status.ACCEPTED, 1.0), nag_count=1, last_nag_at=NOW - timedelta(days=1))
    asked = dispatcher_ask(held, NOW, POLICY.interval)
    assert (asked.nag_count, asked.last_nag_at) == (2, NOW)
    later = NOW + timedelta(days=1.5)  # the promised 2 days have passed
    assert nag_action(held, asked.nag_count, asked.last_nag_at, False, 2, POLICY,
                      NOW + timedelta(hours=23)) is NagAction.NONE
    assert nag_action(held, asked.nag_count, asked.last_nag_at, False, 2, POLICY,
                      later) is NagAction.ESCALATE


def test_an_early_ask_never_escalates_by_itself() -> None:
    fresh = contact(Status.ACCEPTED, 0.1)
    asked = dispatcher_ask(fresh, NOW, POLICY.interval)
    assert nag_action(fresh, asked.nag_count + 5, asked.last_nag_at, False, 2, POLICY,
                      NOW + timedelta(hours=25)) is NagAction.NONE  # within the promised days


def test_a_second_ask_waits_for_the_interval() -> None:
    asked = replace(contact(Status.REACHED, 1), update_requested_at=NOW - timedelta(hours=23))
    with pytest.raises(AlreadyAsked):
        dispatcher_ask(asked, NOW, POLICY.interval)
    assert dispatcher_ask(asked, NOW + timedelta(hours=1), POLICY.interval).last_nag_at == \
        NOW + timedelta(hours=1)


def test_auto_close_only_could_not_reach_past_the_period() -> None:
    assert auto_close_due(contact(Status.COULD_NOT_REACH, 14), timedelta(days=14), NOW)
    assert not auto_close_due(contact(Status.COULD_NOT_REACH, 13), timedelta(days=14), NOW)
    assert not auto_close_due(contact(Status.REACHED, 30), timedelta(days=14), NOW)


@pytest.mark.parametrize("code, outcome", [
    (429, DeliveryOutcome.RETRY), (500, DeliveryOutcome.RETRY), (502, DeliveryOutcome.RETRY),
    (None, DeliveryOutcome.RETRY), (403, DeliveryOutcome.BLOCKED), (400, DeliveryOutcome.FATAL),
])
def test_failures_are_classified(code, outcome) -> None:  # type: ignore[no-untyped-def]
    assert classify_failure(code) is outcome


def test_retry_after_wins_and_backoff_is_capped() -> None:
    assert retry_delay(1, retry_after=7) == timedelta(seconds=7)
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [1, 2, 4]
    assert retry_delay(20) == timedelta(seconds=300)


@given(status=st.sampled_from([Status.ACCEPTED, Status.MEETING_SCHEDULED, Status.ONGOING,
                               Status.MET]),
       hours_in_stage=st.integers(0, 24 * 20), meeting_hours=st.none() | st.integers(-240, 240),
       nagged_hours=st.none() | st.integers(0, 72), nags=st.integers(0, 3),
       promised=st.sampled_from(DAY_CHOICES))
def test_nobody_due_is_left_out_by_the_jobs_first_cut(status, hours_in_stage, meeting_hours,  # type: ignore[no-untyped-def]
                                                      nagged_hours, nags, promised) -> None:
    """The nag job reads only contacts whose stage started by `first_due` and who were not
    reminded within the interval: every contact `nag_action` would remind is among them."""
    held = replace(contact(status, hours_in_stage / 24),
                   meeting_at=None if meeting_hours is None else NOW + timedelta(hours=meeting_hours))
    last = None if nagged_hours is None else NOW - timedelta(hours=nagged_hours)
    if nag_action(held, nags, last, False, promised, POLICY, NOW) is NagAction.NONE:
        return
    statuses = [Status.ACCEPTED, Status.MEETING_SCHEDULED, Status.ONGOING, Status.MET]
    cut = POLICY.first_due(statuses, NOW)
    assert held.stage_changed_at <= cut[status]
    assert last is None or last <= NOW - POLICY.interval


def test_the_first_cut_is_each_stages_wait() -> None:
    cut = POLICY.first_due([Status.ONGOING, Status.MEETING_SCHEDULED, Status.ACCEPTED,
                            Status.MET], NOW)
    assert cut == {Status.ONGOING: NOW - timedelta(days=14),
                   Status.MEETING_SCHEDULED: NOW - timedelta(days=3),
                   Status.ACCEPTED: NOW - timedelta(days=1)}  # MET: no limit, never due
