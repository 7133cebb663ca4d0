from datetime import UTC, datetime, timedelta

from domain.reliability import AnsweredOffer, Track, build_track, reliability

NOW = datetime(2026, 11, 26, tzinfo=UTC)
DAY = timedelta(days=1)


def offer(status: str, answered_after: timedelta | None, days: int = 2,
          reached_after: timedelta | None = None, ago: timedelta = 10 * DAY) -> AnsweredOffer:
    created = NOW - ago
    answered = created + answered_after if answered_after is not None else None
    reached = answered + reached_after if answered and reached_after is not None else None
    return AnsweredOffer(status, created, answered, days, reached)


def test_track_counts_answers_speed_and_promises_kept() -> None:
    offers = [
        offer("accepted", timedelta(hours=1), reached_after=DAY),  # in time
        offer("accepted", timedelta(hours=3), reached_after=3 * DAY),  # late
        offer("accepted", timedelta(hours=2)),  # never reached, days over: judged, not in time
        offer("accepted", timedelta(hours=2), ago=timedelta(hours=5)),  # days not over: not judged
        offer("declined", timedelta(hours=5)),
        offer("expired", None),
        offer("withdrawn", None),  # says nothing about the multiplier
    ]
    track = build_track(offers, nags=2, escalations=1, last_offer_at=NOW, now=NOW)
    assert track == Track(offers=6, accepted=4, median_answer=timedelta(hours=2), judged=3,
                          in_time=1, recent_nags=2, recent_escalations=1, last_offer_at=NOW)
    assert track.acceptance == 4 / 6 and track.timeliness == 1 / 3


def test_reliability_smooths_small_histories_and_punishes_reminders() -> None:
    nobody = reliability(Track())
    one_no = reliability(Track(offers=1, accepted=0))
    assert 0.3 < one_no < nobody < 0.6
    star = Track(offers=20, accepted=19, judged=19, in_time=18, median_answer=timedelta(minutes=20))
    assert reliability(star) > 0.85
    assert reliability(Track(**{**star.__dict__, "recent_escalations": 2})) < reliability(star) / 2
    assert reliability(Track(recent_nags=10)) == 0
