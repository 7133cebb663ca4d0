"""The outbox's send order by purpose (issue #13): alarms, answers to people, offers and
notices, bulk."""

import pytest

from domain.delivery import Purpose, priority


@pytest.mark.parametrize("first, then", [
    (Purpose.ALARM, Purpose.RELAY_IN),
    (Purpose.RELAY_OUT, Purpose.OFFER),
    (Purpose.RELAY_FAILED, Purpose.NOTICE),
    (Purpose.OFFER, Purpose.CARD),
    (Purpose.TRIAGE, Purpose.DIGEST),
    (Purpose.NOTICE, Purpose.DIGEST),
])
def test_more_urgent_purposes_go_first(first: Purpose, then: Purpose) -> None:
    assert priority(first) < priority(then)


def test_cards_and_digests_are_bulk_alike() -> None:
    assert priority(Purpose.CARD) == priority(Purpose.DIGEST)
