from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.errors import AlreadyDone, NoLongerAvailable, NoLongerYours, NotAllowed
from domain.lifecycle import (
    check_can_answer,
    check_can_hand_back,
    check_can_offer,
    check_can_set_stage,
    check_still_held,
)
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


@pytest.mark.parametrize("now_held", [
    contact(Status.NEW),  # reassigned, or handed back: waiting for dispatch
    contact(Status.ACCEPTED, OLGA.id),  # someone else holds it by now
    contact(Status.CLOSED, ANNA.id),  # a dispatcher closed it (the holder is kept on record)
])
def test_a_holder_let_go_is_told_it_is_no_longer_theirs(now_held: Contact) -> None:
    with pytest.raises(NoLongerYours):
        check_can_set_stage(now_held, ANNA, Status.REACHED, released=True)
    with pytest.raises(NoLongerYours):
        check_can_hand_back(now_held, ANNA, released=True)


def test_a_holder_who_was_let_go_and_holds_it_again_may_report() -> None:
    check_can_set_stage(contact(Status.ACCEPTED, ANNA.id), ANNA, Status.MET, released=True)


def test_a_dispatchers_press_names_the_holder_the_card_showed() -> None:
    check_still_held(contact(Status.REACHED, ANNA.id), ANNA.id)
    for stale in (contact(Status.REACHED, OLGA.id), contact(Status.NEW), contact(Status.CLOSED, ANNA.id)):
        with pytest.raises(NoLongerAvailable):
            check_still_held(stale, ANNA.id)
