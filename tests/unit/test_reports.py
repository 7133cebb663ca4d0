import struct
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput
from domain.reports import Period, Progress, histogram, median, offer_waits, parse_period
from views.report_charts import ChartText, render

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")
H = timedelta(hours=1)
US = timedelta(microseconds=1)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("", NOW - timedelta(days=7), NOW + US),
    ("30", NOW - timedelta(days=30), NOW + US),
    ("30d", NOW - timedelta(days=30), NOW + US),
    ("2026-11-01 2026-11-03", datetime(2026, 10, 31, 22, tzinfo=UTC), datetime(2026, 11, 3, 22, tzinfo=UTC)),
])
def test_parse_period_in_the_readers_zone(text: str, start: datetime, end: datetime) -> None:
    assert parse_period(text, NOW, KYIV) == Period(start, end)


@pytest.mark.parametrize("text", ["0", "367", "yesterday", "2026-11-05 2026-11-01", "2026-13-01 2026-13-02", "1 2 3"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(text, NOW, KYIV)


def test_histogram_median_and_waits() -> None:
    times = [30 * timedelta(minutes=1), 2 * H, 5 * H, 30 * H, 100 * H, 0 * H]
    assert histogram(times) == [("<1h", 2), ("1-4h", 1), ("4-24h", 1), ("1-3d", 1), (">3d", 1)]
    assert median([3 * H, H, 2 * H, 4 * H]) == 2 * H and median([]) is None
    arrived = NOW
    offers = [(NOW + H, NOW + 2 * H), (NOW + 5 * H, None), (NOW + 6 * H, NOW + 7 * H)]
    assert offer_waits(arrived, offers) == [H, 3 * H, H]  # a lapsed offer frees it when made
    assert Progress(5, 4, 3, 1, target=10).target_share == 0.3
    assert Progress(5, 4, 12, 1, target=10).target_share == 1.0
    assert Progress(5, 4, 3, 1, target=None).target_share is None


def test_the_chart_is_a_png_a_phone_can_show() -> None:
    text = ChartText("Report 1 – 7 Nov", "Contacts", [("new", 12), ("met", 3)], "Offers",
                     "offered", "accepted", [("Anna", 5, 4), ("Olga", 3, 1)], "Time to offer",
                     [("<1h", 4), (">3d", 1)], "nothing")
    png = render(text)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (900, 1500)
    assert 20_000 < len(png) < 400_000
    empty = render(ChartText("Empty", "Contacts", [("new", 0)], "Offers", "o", "a", [], "T", [], "nothing"))
    assert empty[:8] == b"\x89PNG\r\n\x1a\n"


def test_time_in_each_stage_counts_the_stays_that_ended_in_the_period() -> None:
    from datetime import UTC, datetime, timedelta

    from domain.contacts import Status
    from domain.reports import Period, stage_times

    t0, h = datetime(2026, 11, 2, tzinfo=UTC), timedelta(hours=1)
    changes = [(1, t0, Status.ACCEPTED), (1, t0 + 5 * h, Status.ATTEMPTED),
               (1, t0 + 30 * h, Status.REACHED), (2, t0 + 2 * h, Status.ACCEPTED),
               (2, t0 + 50 * h, Status.ATTEMPTED)]
    period = Period(t0 + 4 * h, t0 + 40 * h)
    assert stage_times(list(reversed(changes)), period) == {
        Status.ACCEPTED: [5 * h], Status.ATTEMPTED: [25 * h]}
