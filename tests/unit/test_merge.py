"""Merge plans: the older id is kept, methods are a union, conflicts resolved and kept aside."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.errors import InvalidInput, NoLongerAvailable
from domain.members import Gender
from domain.merge import Conflict, Prefer, needs_keeper_choice, order, plan

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def contact(id_, days=0, status=Status.NEW, assignee=None, **details):  # type: ignore[no-untyped-def]
    d = ContactDetails(**{"name": "Maria Ivanova", **details})
    at = T0 + timedelta(days=days)
    return Contact(id=id_, details=d, status=status, created_at=at, waiting_since=at,
                   assignee_id=assignee)


OLD = contact(1, phone="+380441234567", area="Podil", gender=Gender.FEMALE)
NEW = contact(2, days=3, phone="+380509999999", email="m@x.org", area="Obolon",
              notes="Prefers evenings", name="Мария Иванова")


def test_the_older_record_keeps_its_id_whichever_order() -> None:
    assert order(NEW, OLD) == (OLD, NEW) == order(OLD, NEW)


@pytest.mark.parametrize(("prefer", "area", "name", "conflicts"), [
    (Prefer.NEWEST, "Obolon", "Мария Иванова",
     (Conflict("name", "Мария Иванова", "Maria Ivanova"), Conflict("area", "Obolon", "Podil"))),
    (Prefer.KEEPER, "Podil", "Maria Ivanova",
     (Conflict("name", "Maria Ivanova", "Мария Иванова"), Conflict("area", "Podil", "Obolon"))),
])
def test_conflicts_follow_the_dispatchers_choice_and_keep_the_other_value(
        prefer, area, name, conflicts) -> None:  # type: ignore[no-untyped-def]
    p = plan(OLD, NEW, prefer)
    assert (p.keeper_id, p.merged_id) == (1, 2)
    assert (p.details.area, p.details.name) == (area, name)
    assert p.conflicts == conflicts


def test_contact_methods_are_a_union() -> None:
    p = plan(OLD, NEW)
    assert p.details.phone == "+380441234567"  # the keeper's stays primary
    assert p.details.email == "m@x.org"  # filled from the other
    assert p.set_aside_methods == {"phone": "+380509999999"}  # kept on the merged record
    assert p.details.gender is Gender.FEMALE  # unknown never overwrites a known value
    assert p.details.notes == "Prefers evenings"


@pytest.mark.parametrize(("keeper_assignee", "merged_assignee", "keep_with", "takes", "choice"), [
    (None, None, None, False, False),
    (None, 7, None, True, False),  # the multiplier holding the newer record keeps the seeker
    (7, None, None, False, False),
    (7, 7, None, False, False),
    (7, 8, 8, True, True),  # two multipliers: the dispatcher gave it to the newer one's
    (7, 8, 7, False, True),
])
def test_who_keeps_the_seeker(keeper_assignee, merged_assignee, keep_with, takes, choice) -> None:  # type: ignore[no-untyped-def]
    keeper = contact(1, status=Status.REACHED if keeper_assignee else Status.NEW,
                     assignee=keeper_assignee, phone="+380441234567")
    merged = contact(2, days=1, status=Status.ACCEPTED if merged_assignee else Status.NEW,
                     assignee=merged_assignee, phone="+380441234567")
    assert needs_keeper_choice(keeper, merged) is choice
    assert plan(keeper, merged, keep_with=keep_with).takes_assignment is takes


def test_a_closed_keeper_takes_the_live_records_state() -> None:
    keeper = contact(1, status=Status.CLOSED)
    assert plan(keeper, contact(2, days=1)).takes_assignment is True
    assert plan(keeper, contact(2, days=1, status=Status.CLOSED)).takes_assignment is False


def test_two_multipliers_need_the_dispatchers_choice() -> None:
    keeper = contact(1, status=Status.REACHED, assignee=7)
    merged = contact(2, days=1, status=Status.ACCEPTED, assignee=8)
    with pytest.raises(InvalidInput):
        plan(keeper, merged)
    with pytest.raises(InvalidInput):
        plan(keeper, merged, keep_with=99)


def test_an_already_merged_record_cannot_be_merged_again() -> None:
    with pytest.raises(NoLongerAvailable):
        plan(OLD, contact(2, days=1, status=Status.MERGED))


@pytest.mark.parametrize(("prefer", "parts"), [
    (Prefer.NEWEST, ("Мария", "Иванова")), (Prefer.KEEPER, ("Maria", "Ivanova"))])
def test_the_name_parts_follow_the_name_kept(prefer: Prefer, parts: tuple) -> None:
    old = contact(1, phone="+380441234567", given_name="Maria", family_name="Ivanova")
    new = contact(2, days=3, name="Иванова Мария", given_name="Мария", family_name="Иванова")
    kept = plan(old, new, prefer).details
    assert (kept.given_name, kept.family_name) == parts


def test_a_keeper_without_parts_takes_them_from_the_same_name() -> None:
    new = contact(2, days=3, phone="+380441234567", given_name="Maria", family_name="Ivanova")
    kept = plan(contact(1), new, Prefer.KEEPER).details
    assert (kept.name, kept.given_name, kept.family_name) == ("Maria Ivanova", "Maria", "Ivanova")
