"""Local-time rules: digest slots and quiet hours in each person's own zone, DST included.

All inputs and outputs are aware UTC datetimes; zones only shape where the local clock
falls. Pure, so the DST edge cases are tested without a scheduler.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidInput


def local_slot(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment a local wall-clock time happens on a day. A time skipped by a
    spring-forward lands an hour later; a repeated one at its first occurrence (fold=0)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def latest_slot(now: datetime, zone: ZoneInfo, times: list[time]) -> datetime | None:
    """The most recent digest moment at or before now (today's or yesterday's)."""
    today = now.astimezone(zone).date()
    candidates = [
        local_slot(day, at, zone)
        for day in (today - timedelta(days=1), today)
        for at in times
    ]
    past = [c for c in candidates if c <= now]
    return max(past) if past else None


def digest_due(
    now: datetime, zone: ZoneInfo, times: list[time], last_sent: datetime | None
) -> datetime | None:
    """The slot to send now, if one passed since the last digest; a restart loses none."""
    slot = latest_slot(now, zone, times)
    if slot is None or (last_sent is not None and last_sent >= slot):
        return None
    return slot


def quiet_until(now: datetime, zone: ZoneInfo, start: time, end: time) -> datetime | None:
    """When quiet hours (start..end, may span midnight) end, if now is inside them."""
    if start == end:
        return None
    local = now.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return local_slot(end_day, end, zone)


def next_quiet_start(now: datetime, zone: ZoneInfo, start: time) -> datetime:
    """The next moment (after now) quiet hours begin, in the given zone."""
    today = now.astimezone(zone).date()
    return next(slot for day in (today, today + timedelta(days=1), today + timedelta(days=2))
                if (slot := local_slot(day, start, zone)) > now)


def counted_wait_ends(since: datetime, wait: timedelta, zone: ZoneInfo,
                      quiet: tuple[time, time] | None) -> datetime:
    """When `wait` of waiting outside quiet hours (read in `zone`) has passed since `since`:
    a contact entered at 20:00 with quiet hours 21:00-08:00 has waited one counted hour at
    08:00. Walks quiet spans forward, so its cost is bounded by the wait, not by the age."""
    if quiet is None or quiet[0] == quiet[1]:
        return since + wait
    start, end = quiet
    moment, left = since, wait
    while True:
        until = quiet_until(moment, zone, start, end)
        if until is not None and until > moment:
            moment = until
        quiet_from = next_quiet_start(moment, zone, start)
        if moment + left <= quiet_from:
            return moment + left
        left -= quiet_from - moment
        moment = quiet_from


def parse_times(text: str) -> list[time]:
    """'09:00, 13:00,17:00' -> sorted times; raises ValueError on anything else."""
    times = sorted({time.fromisoformat(part.strip()) for part in text.split(",") if part.strip()})
    if not times:
        raise ValueError("no times")
    return times


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """'21:00-08:00' -> (21:00, 08:00); raises ValueError."""
    start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    return start, end


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekly(text: str) -> tuple[int, time]:
    """'mon 09:00' -> (0, 09:00)."""
    parts = text.strip().lower().split()
    if len(parts) != 2 or parts[0][:3] not in WEEKDAYS:
        raise ValueError(f"expected a weekday and a time like 'mon 09:00', got {text!r}")
    return WEEKDAYS.index(parts[0][:3]), parse_times(parts[1])[0]


def latest_weekly_slot(now: datetime, zone: ZoneInfo, weekday: int, at: time) -> datetime:
    """The most recent weekly moment at or before now, in the given zone."""
    today = now.astimezone(zone).date()
    day = today - timedelta(days=(today.weekday() - weekday) % 7)
    slot = local_slot(day, at, zone)
    return slot if slot <= now else local_slot(day - timedelta(days=7), at, zone)


#: IANA names are short ("America/Argentina/ComodRivadavia" is among the longest).
MAX_ZONE_NAME = 64


def parse_zone(text: str) -> str:
    """A time zone name people type (`/timezone Europe/Kyiv`), or InvalidInput("zone").
    ZoneInfo opens a file under the tz database, so a folder ("Europe"), a name too long
    for the file system or a stray byte raise OSError or ValueError rather than "not found"."""
    name = text.strip()
    if not name or len(name) > MAX_ZONE_NAME:
        raise InvalidInput("zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput("zone") from None
    return name
