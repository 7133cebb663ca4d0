from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.reliability import (
    HISTORY, RECENT, REMINDER_ACTIONS, AnsweredOffer, Reminder, Track, build_track, reliability,
    track_as_of,
)

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


MOMENTS = st.integers(min_value=0, max_value=400 * 24).map(lambda h: NOW - timedelta(hours=h))
OFFERS = st.builds(
    lambda status, created, answer_h, days, reach_h: AnsweredOffer(
        status, created, created + timedelta(hours=answer_h) if answer_h is not None else None,
        days, created + timedelta(hours=answer_h + reach_h)
        if answer_h is not None and reach_h is not None else None),
    st.sampled_from(["accepted", "declined", "expired", "withdrawn"]), MOMENTS,
    st.none() | st.integers(0, 72), st.integers(1, 7), st.none() | st.integers(0, 240))
REMINDERS = st.builds(Reminder, MOMENTS, st.sampled_from(REMINDER_ACTIONS))


@given(st.lists(OFFERS, max_size=12), st.lists(REMINDERS, max_size=6),
       st.integers(0, 200 * 24 * 60), st.floats(0, 1))
def test_a_record_holds_until_the_moment_it_says_it_may_change(
        offers: list[AnsweredOffer], reminders: list[Reminder], later: int, share: float) -> None:
    """Every moment before `until` reads the same record as `now` (so it may be reused), and
    the record is the one built from what is in the windows at `now`."""
    now = NOW - timedelta(minutes=later)
    track, until = track_as_of(offers, reminders, None, now)
    recent = [r for r in reminders if r.at >= now - RECENT]
    assert track == build_track([o for o in offers if o.created_at >= now - HISTORY],
                                sum(r.action == "nag" for r in recent),
                                sum(r.action == "escalate" for r in recent), None, now)
    assert until > now
    span = min(until, now + timedelta(days=400)) - now
    moment = now + span * share
    if moment < until:
        assert track_as_of(offers, reminders, None, moment)[0] == track
