"""When a meeting with a seeker is: the days the holder picks from, and the date and time
they type (`18:00` on a picked day, or `3.12 18:00`), read in the holder's own zone and
kept in UTC. Pure, so the calendar edges are tested without a bot."""

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.contacts import Status
from domain.errors import InvalidInput
from domain.timing import local_slot

#: How many days the buttons offer, today first.
DAYS_SHOWN = 7
#: The hours offered as buttons once a day is picked (local wall-clock time).
MEETING_HOURS: tuple[int, ...] = (10, 12, 14, 16, 18, 19, 20)
#: A place or a result is a short line, not an essay.
MAX_RECORD_TEXT = 200

class NoteKind(StrEnum):
    """The short line a stage may carry; the value is the audit action that records it."""

    NOTE = "note"  # any stage
    PLACE = "place"  # where the scheduled meeting is
    RESULT = "result"  # what came of the meeting ("met")


def note_kind(stage: Status) -> NoteKind:
    """What the holder is asked for after a stage button: "met" asks for the result."""
    return NoteKind.RESULT if stage is Status.MET else NoteKind.NOTE


_TIME = r"(?P<h>\d{1,2})[:.](?P<m>\d{2})"
_TIME_ONLY = re.compile(rf"^{_TIME}$")
_DATE_TIME = re.compile(rf"^(?P<d>\d{{1,2}})[./](?P<mo>\d{{1,2}})(?:[./](?P<y>\d{{2,4}}))?\s+{_TIME}$")


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def day_choices(now: datetime, zone: ZoneInfo, count: int = DAYS_SHOWN) -> list[date]:
    """Today and the next days on the holder's own calendar."""
    today = local_today(now, zone)
    return [today + timedelta(days=i) for i in range(count)]


def at_hour(day: date, hour: int, now: datetime, zone: ZoneInfo) -> datetime:
    """A day button then an hour button: the UTC moment they mean (not one already past)."""
    if not 0 <= hour <= 23:
        raise InvalidInput("time")
    when = local_slot(day, time(hour), zone)
    if when < now:
        raise InvalidInput("time")
    return when


def parse_meeting(text: str, day: date | None, now: datetime, zone: ZoneInfo) -> datetime:
    """A typed `18:00` (on `day`, the one picked; today if none) or `3.12 18:00` (this year,
    or next year's if that day is already behind us), in UTC; InvalidInput("time") if it
    is not a moment or lies in the past."""
    text = " ".join(text.split())
    if match := _TIME_ONLY.match(text):
        when = _moment(day or local_today(now, zone), match, zone)
    elif match := _DATE_TIME.match(text):
        when = _moment(_date(match, local_today(now, zone)), match, zone)
    else:
        raise InvalidInput("time")
    if when < now:
        raise InvalidInput("time")
    return when


def _date(match: re.Match[str], today: date) -> date:
    year = int(match["y"]) if match["y"] else today.year
    year += 2000 if year < 100 else 0
    try:
        day = date(year, int(match["mo"]), int(match["d"]))
        if not match["y"] and day < today:
            day = date(year + 1, day.month, day.day)
    except ValueError:
        raise InvalidInput("time") from None
    return day


def _moment(day: date, match: re.Match[str], zone: ZoneInfo) -> datetime:
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        raise InvalidInput("time")
    return local_slot(day, time(hour, minute), zone).astimezone(UTC)
