from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.errors import AlreadyDone, NoLongerAvailable, NotAllowed
from domain.lifecycle import check_can_answer, check_can_offer, check_can_set_stage
from domain.members import Member
from domain.offers import Offer, OfferStatus
from domain.roles import Role

NOW = datetime(2026, 11, 26, tzinfo=UTC)
ANNA = Member(id=1, tg_user_id=11, name="Anna", roles=frozenset({Role.MULTIPLIER}))
OLGA = Member(id=2, tg_user_id=12, name="Olga", roles=frozenset({Role.MULTIPLIER}))


def contact(status: Status, assignee: int | None = None) -> Contact:
    return Contact(id=1, details=ContactDetails(name="Maria"), status=status, created_at=NOW,
                   waiting_since=NOW, assignee_id=assignee)


def offer(status: OfferStatus = OfferStatus.PENDING, expires: timedelta = timedelta(hours=1)) -> Offer:
    return Offer(id=1, contact_id=1, multiplier_id=ANNA.id, offered_by=3, status=status,
                 created_at=NOW, expires_at=NOW + expires, days=2)


@pytest.mark.parametrize("status", [Status.OFFERED, Status.ACCEPTED, Status.CLOSED, Status.MET])
def test_only_waiting_or_held_contacts_can_be_offered(status: Status) -> None:
    with pytest.raises(NoLongerAvailable):
        check_can_offer(contact(status), ANNA, NOW)
    check_can_offer(contact(Status.NEW), ANNA, NOW)
    check_can_offer(contact(Status.ON_HOLD), ANNA, NOW)


def test_offer_answers_belong_to_the_offered_multiplier_and_expire() -> None:
    check_can_answer(offer(), ANNA, NOW)
    with pytest.raises(NotAllowed):
        check_can_answer(offer(), OLGA, NOW)
    with pytest.raises(NoLongerAvailable):
        check_can_answer(offer(expires=timedelta(0)), ANNA, NOW)
    with pytest.raises(NoLongerAvailable):
        check_can_answer(offer(OfferStatus.WITHDRAWN), ANNA, NOW)
    with pytest.raises(AlreadyDone):
        check_can_answer(offer(OfferStatus.ACCEPTED), ANNA, NOW)


def test_stages_only_by_assignee_and_only_follow_up_stages() -> None:
    check_can_set_stage(contact(Status.ACCEPTED, ANNA.id), ANNA, Status.REACHED)
    with pytest.raises(NotAllowed):
        check_can_set_stage(contact(Status.ACCEPTED, ANNA.id), OLGA, Status.REACHED)
    with pytest.raises(NotAllowed):
        check_can_set_stage(contact(Status.ACCEPTED, ANNA.id), ANNA, Status.CLOSED)
    with pytest.raises(NoLongerAvailable):
        check_can_set_stage(contact(Status.NEW, ANNA.id), ANNA, Status.REACHED)
