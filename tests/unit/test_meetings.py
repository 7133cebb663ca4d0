"""The meeting's date and time as the holder picks or types it, in their own zone, and the
reminder clock a scheduled meeting sets."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.errors import InvalidInput
from domain.followup_rules import NagAction, NagPolicy, nag_action, stage_clock
from domain.meetings import at_hour, day_choices, parse_meeting

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)  # 23:30 on 1 December in Kyiv
POLICY = NagPolicy(stage_limits={Status.MEETING_SCHEDULED: timedelta(days=3)},
                   interval=timedelta(hours=24), max_nags=2)


def test_the_day_buttons_follow_the_holders_calendar() -> None:
    assert day_choices(NOW, KYIV, 3) == [date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)]
    assert day_choices(NOW, ZoneInfo("Asia/Tokyo"), 1) == [date(2026, 12, 2)]


def test_a_day_and_an_hour_button_mean_a_utc_moment() -> None:
    assert at_hour(date(2026, 12, 3), 18, NOW, KYIV) == datetime(2026, 12, 3, 16, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        at_hour(date(2026, 12, 1), 20, NOW, KYIV)  # tonight's 20:00 is behind us


@pytest.mark.parametrize("text, day, expected", [
    ("18:00", date(2026, 12, 3), datetime(2026, 12, 3, 16, tzinfo=UTC)),
    (" 18.30 ", date(2026, 12, 3), datetime(2026, 12, 3, 16, 30, tzinfo=UTC)),
    ("3.12 18:00", None, datetime(2026, 12, 3, 16, tzinfo=UTC)),
    ("03/12/2026  9:05", None, datetime(2026, 12, 3, 7, 5, tzinfo=UTC)),
    ("2.1 10:00", None, datetime(2027, 1, 2, 8, tzinfo=UTC)),  # January: next year's
    ("1.12 23:45", None, datetime(2026, 12, 1, 21, 45, tzinfo=UTC)),  # later tonight
])
def test_typed_meeting_times(text: str, day: date | None, expected: datetime) -> None:
    assert parse_meeting(text, day, NOW, KYIV) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "25:00", "18:61", "31.2 10:00",
                                  "1.12 10:00 2026", "18:00", "1.12.2026 10:00"])
def test_what_is_not_a_coming_moment_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_meeting(text, None, NOW, KYIV)  # "18:00" today is already past


def meeting(days_ago_tapped: float, meeting_in_days: float | None) -> Contact:
    at = None if meeting_in_days is None else NOW + timedelta(days=meeting_in_days)
    return Contact(id=1, details=ContactDetails(name="M"), status=Status.MEETING_SCHEDULED,
                   created_at=NOW, waiting_since=NOW, meeting_at=at,
                   stage_changed_at=NOW - timedelta(days=days_ago_tapped))


@pytest.mark.parametrize("tapped, meeting_in, expected", [
    (3.0, None, NagAction.NAG),  # no date given: timed from the tap, as before
    (5.0, 0.5, NagAction.NONE),  # the meeting has not happened yet
    (5.0, -1.0, NagAction.NONE),  # it passed a day ago: the stage's 3 days run from it
    (5.0, -2.9, NagAction.NONE),
    (5.0, -3.0, NagAction.NAG),  # passed 3 days ago without "met"
])
def test_a_scheduled_meeting_times_the_reminder(tapped: float, meeting_in: float | None,
                                                 expected: NagAction) -> None:
    assert nag_action(meeting(tapped, meeting_in), 0, None, False, 2, POLICY, NOW) is expected


def test_the_clock_of_other_stages_starts_at_the_tap() -> None:
    reached = Contact(id=1, details=ContactDetails(name="M"), status=Status.REACHED,
                      created_at=NOW, waiting_since=NOW, stage_changed_at=NOW,
                      meeting_at=NOW + timedelta(days=9))
    assert stage_clock(reached) == NOW
