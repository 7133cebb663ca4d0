"""Who may hear a seeker: the active multiplier holding the contact now, nobody else."""

from datetime import UTC, datetime

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.members import Member
from domain.roles import Role
from domain.conversations import Conversation, Triage
from domain.seeker_privacy import hears_request, hears_seeker, holder_gone

NOW = datetime(2026, 5, 1, tzinfo=UTC)
ANNA = Member(id=1, tg_user_id=201, name="Anna", roles=frozenset({Role.MULTIPLIER}))


def contact(status: Status = Status.ACCEPTED, assignee_id: int | None = 1) -> Contact:
    return Contact(id=7, details=ContactDetails(name="Maria", phone="+380441234567"),
                   status=status, created_at=NOW, waiting_since=NOW, assignee_id=assignee_id)


@pytest.mark.parametrize("held, member, hears", [
    (contact(), ANNA, True),
    (contact(Status.MET), ANNA, True),
    (contact(), Member(id=1, tg_user_id=201, name="Anna", roles=ANNA.roles, active=False), False),
    (contact(), Member(id=1, tg_user_id=201, name="Anna", roles=frozenset({Role.DISPATCHER})), False),
    (contact(assignee_id=2), ANNA, False),
    (contact(Status.NEW, None), ANNA, False),
    (contact(Status.OFFERED), ANNA, False),
    (None, ANNA, False),
    (contact(), None, False),
])
def test_only_the_active_multiplier_holding_the_contact_hears(held, member, hears) -> None:  # type: ignore[no-untyped-def]
    assert hears_seeker(held, member) is hears


def test_the_holder_is_gone_only_while_a_contact_is_held() -> None:
    gone = Member(id=1, tg_user_id=201, name="Anna", roles=ANNA.roles, active=False)
    assert holder_gone(contact(), gone) and holder_gone(contact(), None)
    assert not holder_gone(contact(), ANNA)
    assert not holder_gone(contact(Status.NEW, None), None) and not holder_gone(None, None)


OLEH = Member(id=3, tg_user_id=301, name="Oleh", roles=frozenset({Role.OPERATOR}))


def request(triage: Triage, claimed_by: int | None = 3, contact_id: int | None = None
            ) -> Conversation:
    return Conversation(id=1, seeker_tg_id=501, seeker_name="Maria", seeker_username=None,
                        triage=triage, created_at=NOW, round_started_at=NOW,
                        claimed_by=claimed_by, contact_id=contact_id)


@pytest.mark.parametrize("conv, held, member, hears", [
    (request(Triage.CLAIMED), None, OLEH, True),  # the claimer, before dispatch
    (request(Triage.CLAIMED), None, ANNA, False),  # nobody else
    (request(Triage.CLAIMED), None, Member(id=3, tg_user_id=301, name="Oleh",
                                           roles=OLEH.roles, active=False), False),
    (request(Triage.NEW, None), None, OLEH, False),
    (request(Triage.CONTACT, contact_id=7), contact(), OLEH, False),  # a contact: its holder
    (request(Triage.CONTACT, contact_id=7), contact(), ANNA, True),
])
def test_before_dispatch_the_claimer_hears_after_it_the_holder(conv, held, member, hears) -> None:  # type: ignore[no-untyped-def]
    assert hears_request(conv, held, member) is hears
