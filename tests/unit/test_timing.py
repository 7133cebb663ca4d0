"""Digest slots and quiet hours in people's own zones, across DST changes."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from domain.timing import (
    digest_due,
    latest_weekly_slot,
    local_slot,
    parse_times,
    parse_weekly,
    quiet_until,
)

KYIV, NEW_YORK = ZoneInfo("Europe/Kyiv"), ZoneInfo("America/New_York")
TIMES = parse_times("09:00,13:00,17:00")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_two_zones_get_their_own_nine_oclock() -> None:
    now = utc(2026, 11, 26, 7, 5)  # 09:05 in Kyiv, 02:05 in New York
    assert digest_due(now, KYIV, TIMES, last_sent=utc(2026, 11, 25, 15, 0)) == utc(2026, 11, 26, 7, 0)
    assert digest_due(now, NEW_YORK, TIMES, last_sent=utc(2026, 11, 25, 22, 0)) is None
    assert digest_due(utc(2026, 11, 26, 14, 0), NEW_YORK, TIMES,
                      last_sent=utc(2026, 11, 25, 22, 0)) == utc(2026, 11, 26, 14, 0)


def test_a_sent_slot_is_not_sent_again_and_a_missed_one_is_sent_late() -> None:
    slot = utc(2026, 11, 26, 7, 0)
    assert digest_due(utc(2026, 11, 26, 7, 30), KYIV, TIMES, last_sent=slot) is None
    # the bot was down from 08:00 to 16:00 Kyiv time: the 13:00 digest goes out at restart
    assert digest_due(utc(2026, 11, 26, 14, 0), KYIV, TIMES, last_sent=slot) == utc(2026, 11, 26, 11, 0)


@pytest.mark.parametrize("day, expected_utc_hour", [
    (24, 6),  # summer time, UTC+3
    (25, 7),  # the clocks went back at 04:00 that night: UTC+2
    (26, 7),
])
def test_nine_oclock_stays_nine_oclock_across_the_autumn_change(day: int, expected_utc_hour: int) -> None:
    assert local_slot(datetime(2026, 10, day).date(), time(9), KYIV) == utc(2026, 10, day, expected_utc_hour)


def test_one_digest_per_slot_through_the_dst_night() -> None:
    sent, last = [], utc(2026, 10, 24, 14, 0)  # 17:00 Kyiv on the 24th
    moment = last
    while moment < utc(2026, 10, 25, 16, 0):
        slot = digest_due(moment, KYIV, TIMES, last)
        if slot:
            sent.append(slot.astimezone(KYIV).strftime("%d %H:%M"))
            last = slot
        moment = datetime.fromtimestamp(moment.timestamp() + 900, UTC)
    assert sent == ["25 09:00", "25 13:00", "25 17:00"]


def test_spring_forward_gap_moves_the_slot_on() -> None:
    # 03:30 does not exist in Kyiv on 29 March 2026 (03:00 -> 04:00)
    assert local_slot(datetime(2026, 3, 29).date(), time(3, 30), KYIV).astimezone(KYIV).hour == 4


@pytest.mark.parametrize("local, held_until", [
    (datetime(2026, 11, 26, 23, 0), datetime(2026, 11, 27, 8, 0)),
    (datetime(2026, 11, 26, 7, 0), datetime(2026, 11, 26, 8, 0)),
    (datetime(2026, 11, 26, 12, 0), None),
    (datetime(2026, 11, 26, 8, 0), None),
])
def test_quiet_hours_in_the_persons_zone(local: datetime, held_until: datetime | None) -> None:
    now = local.replace(tzinfo=NEW_YORK).astimezone(UTC)
    result = quiet_until(now, NEW_YORK, time(21), time(8))
    expected = held_until.replace(tzinfo=NEW_YORK).astimezone(UTC) if held_until else None
    assert result == expected


def test_weekly_slot_is_the_last_monday_nine_in_the_team_zone() -> None:
    kyiv = ZoneInfo("Europe/Kyiv")
    weekday, at = parse_weekly("Mon 09:00")
    # Thursday 26 Nov 2026 -> Monday 23 Nov, 09:00 Kyiv (07:00 UTC)
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    assert latest_weekly_slot(now, kyiv, weekday, at) == datetime(2026, 11, 23, 7, tzinfo=UTC)
    # Monday 08:59 Kyiv: still last week's
    early = datetime(2026, 11, 30, 6, 59, tzinfo=UTC)
    assert latest_weekly_slot(early, kyiv, weekday, at) == datetime(2026, 11, 23, 7, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_weekly("someday 09:00")
