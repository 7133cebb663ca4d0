"""A contact's history: audit rows and offers as one timeline, each offer once, in place."""

from datetime import UTC, datetime, timedelta

from domain.offers import DeclineReason, Offer, OfferStatus
from domain.timeline import Event, build, event

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def row(action: str, minutes: int = 0, before: str | None = None,
        after: str | None = None) -> Event:
    return event(T0 + timedelta(minutes=minutes), 1, action, before, after)


def offer(offer_id: int, minutes: int, status: OfferStatus, multiplier: int = 7) -> Offer:
    at = T0 + timedelta(minutes=minutes)
    return Offer(offer_id, 1, multiplier, 1, status, at, at + timedelta(hours=24), 2,
                 answered_at=at, decline_reason=DeclineReason.TOO_FAR
                 if status is OfferStatus.DECLINED else None)


def test_each_offer_is_one_line_where_it_was_made_with_its_outcome() -> None:
    audit = [row("create"), row("offer"), row("declined"), row("offer"), row("assign"),
             row("stage", after='"reached"')]
    declined, accepted = offer(10, 0, OfferStatus.DECLINED), offer(11, 0, OfferStatus.ACCEPTED, 8)
    timeline = build(audit, [accepted, declined])  # all at one moment: order from the log
    assert [(e.kind, e.offer.id if e.offer else None) for e in timeline.events] == [
        ("create", None), ("offer", 10), ("offer", 11), ("stage", None)]
    assert timeline.events[-1].after == "reached" and timeline.earlier == 0


def test_outcomes_the_offer_line_tells_are_not_repeated() -> None:
    audit = [row("create"), row("auto_offer"), row("offer_expired", 5), row("offer", 6),
             row("withdraw", 7), row("offer", 8), row("undeliverable", 9), row("hold", 10)]
    offers = [offer(1, 0, OfferStatus.EXPIRED), offer(2, 6, OfferStatus.WITHDRAWN),
              offer(3, 8, OfferStatus.WITHDRAWN)]
    assert [e.kind for e in build(audit, offers).events] == [
        "create", "offer", "offer", "offer", "hold"]


def test_an_offer_the_log_does_not_place_goes_by_its_time() -> None:
    audit = [row("create", 0), row("hold", 30)]
    timeline = build(audit, [offer(1, 10, OfferStatus.DECLINED)])
    assert [e.kind for e in timeline.events] == ["create", "offer", "hold"]


def test_rows_other_actions_keep_their_values_and_a_long_history_is_cut() -> None:
    edit = row("edit", before='{"phone": "+1"}', after='{"phone": "+2"}')
    assert (edit.before, edit.after) == ({"phone": "+1"}, {"phone": "+2"})
    assert row("nag", after="not json").after == "not json"
    audit = [row("create")] + [row("nag", n) for n in range(1, 20)]
    timeline = build(audit, [], shown=5)
    assert timeline.earlier == 15 and len(timeline.events) == 5
    assert timeline.events[-1].at == T0 + timedelta(minutes=19)
