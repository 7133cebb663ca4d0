"""Who reads a contact's full record, who may change which detail, what the screen offers,
and a changed detail checked as intake checks it."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.contact_access import (
    EDIT_FIELDS,
    HOLDER_FIELDS,
    Action,
    HeldByMultiplier,
    HolderFieldsOnly,
    NotYours,
    Visibility,
    check_can_edit,
    editable_fields,
    screen_actions,
    visibility,
)
from domain.contact_edit import apply, parse_value
from domain.contacts import Contact, ContactDetails, Status
from domain.errors import InvalidInput, NoLongerAvailable
from domain.members import Gender, Member
from domain.roles import Role

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
DISPATCHER = Member(1, 101, "Dora", frozenset({Role.DISPATCHER}))
ADMIN = Member(2, 102, "Boss", frozenset({Role.ADMIN}))
OPERATOR = Member(3, 103, "Oleh", frozenset({Role.OPERATOR}))  # entered the contact
OTHER_OPERATOR = Member(4, 104, "Ira", frozenset({Role.OPERATOR}))
HOLDER = Member(5, 105, "Anna", frozenset({Role.MULTIPLIER}))
OTHER = Member(6, 106, "Olga", frozenset({Role.MULTIPLIER}))
DETAILS = ContactDetails("Maria Ivanova", phone="+380441234567", given_name="Maria",
                         family_name="Ivanova")
WAITING = Contact(12, DETAILS, Status.NEW, NOW, NOW, created_by=OPERATOR.id)
HELD = replace(WAITING, status=Status.REACHED, assignee_id=HOLDER.id)


@pytest.mark.parametrize("viewer, contact, seen", [
    (DISPATCHER, HELD, Visibility.FULL),
    (ADMIN, HELD, Visibility.FULL),
    (HOLDER, HELD, Visibility.FULL),
    (OPERATOR, WAITING, Visibility.FULL),
    (OPERATOR, replace(WAITING, status=Status.OFFERED), Visibility.FULL),  # nobody holds it yet
])
def test_the_full_record_in_private(viewer: Member, contact: Contact, seen: Visibility) -> None:
    assert visibility(contact, viewer, in_private=True) is seen


@pytest.mark.parametrize("viewer", [DISPATCHER, HOLDER, OTHER, OTHER_OPERATOR, OPERATOR])
def test_the_team_chat_shows_every_member_the_card_level(viewer: Member) -> None:
    assert visibility(HELD, viewer, in_private=False) is Visibility.CARD


@pytest.mark.parametrize("viewer, contact, refusal", [
    (OTHER, HELD, NotYours),
    (OTHER_OPERATOR, WAITING, NotYours),
    (OPERATOR, HELD, HeldByMultiplier),
    (replace(HOLDER, active=False), HELD, NotYours),  # left the team
    (replace(HOLDER, roles=frozenset()), HELD, NotYours),  # no longer a multiplier
    (None, WAITING, NotYours),
])
def test_anyone_else_is_refused_in_private(viewer: Member | None, contact: Contact,
                                           refusal: type) -> None:
    with pytest.raises(refusal):
        visibility(contact, viewer, in_private=True)


def test_who_may_change_which_detail() -> None:
    assert editable_fields(HELD, DISPATCHER) == EDIT_FIELDS
    assert editable_fields(HELD, HOLDER) == HOLDER_FIELDS
    assert editable_fields(WAITING, OPERATOR) == EDIT_FIELDS
    assert editable_fields(HELD, OPERATOR) == ()
    assert editable_fields(WAITING, OTHER_OPERATOR) == ()
    assert editable_fields(replace(HELD, status=Status.MERGED), DISPATCHER) == ()


@pytest.mark.parametrize("viewer, contact, name, refusal", [
    (OPERATOR, HELD, "phone", HeldByMultiplier),
    (HOLDER, HELD, "notes", HolderFieldsOnly),
    (HOLDER, HELD, "name", HolderFieldsOnly),
    (OTHER, HELD, "phone", NotYours),
    (DISPATCHER, HELD, "colour", InvalidInput),
    (DISPATCHER, replace(HELD, status=Status.MERGED), "phone", NoLongerAvailable),
])
def test_a_change_not_allowed_is_refused_in_words_that_fit(viewer: Member, contact: Contact,
                                                           name: str, refusal: type) -> None:
    with pytest.raises(refusal) as refused:
        check_can_edit(contact, viewer, name)
    if refusal is HeldByMultiplier:
        assert refused.value.detail == "edit"


def test_the_screen_offers_what_the_role_allows() -> None:
    held_burst = replace(WAITING, card_held=True)
    assert screen_actions(held_burst, DISPATCHER, Visibility.FULL, offerable=True) == (
        Action.DISPATCH, Action.SHOW_CARD, Action.EDIT)
    # a held contact: the card's control buttons (ask for an update, message, reassign, close)
    assert screen_actions(HELD, DISPATCHER, Visibility.FULL, offerable=False) == (
        Action.DISPATCH, Action.EDIT)
    assert screen_actions(HELD, DISPATCHER, Visibility.CARD, offerable=False) == (
        Action.DISPATCH,)
    assert screen_actions(HELD, HOLDER, Visibility.FULL, offerable=False) == (
        Action.STAGES, Action.EDIT)
    assert screen_actions(WAITING, OPERATOR, Visibility.FULL, offerable=True) == (Action.EDIT,)
    assert screen_actions(WAITING, OTHER, Visibility.CARD, offerable=True) == ()


@pytest.mark.parametrize("name, text, value", [
    ("phone", "044 123 4567", "+380441234567"),  # normalised as at intake
    ("phone", "-", None),
    ("tg_username", "https://t.me/maria_k", "maria_k"),
    ("email", " maria@example.com ", "maria@example.com"),
    ("name", "  Maria   Petrova ", "Maria Petrova"),
    ("area", "Podil", "Podil"),
    ("notes", "-", None),
    ("gender", "f", Gender.FEMALE),
    ("language", "uk", "uk"),
    ("language", "-", None),
])
def test_a_value_is_checked_as_intake_checks_it(name: str, text: str, value: object) -> None:
    assert parse_value(name, text, "UA", languages=["ru", "uk"]) == value


@pytest.mark.parametrize("name, text, problem", [
    ("phone", "12", "phone"),
    ("email", "maria@", "email"),
    ("tg_username", "@ab", "username"),
    ("name", "-", "required"),
    ("name", "  ", "required"),
    ("notes", "x" * 1001, "too_long"),
    ("language", "xx", "language"),  # only the team's languages, as the buttons offer
    ("gender", "female", "gender"),
    ("colour", "red", "field"),
])
def test_a_bad_value_is_refused_with_its_problem(name: str, text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_value(name, text, "UA", languages=["ru", "uk"])
    assert refused.value.detail == problem


def test_a_change_keeps_the_seeker_reachable_and_a_new_name_is_read_whole() -> None:
    renamed = apply(DETAILS, "name", "Ivanova Maria Petrovna")
    assert (renamed.given_name, renamed.family_name) == (None, None)
    with_email = apply(DETAILS, "email", "m@example.com")
    assert apply(with_email, "phone", None).phone is None
    with pytest.raises(InvalidInput) as refused:
        apply(DETAILS, "phone", None)  # the only way to reach her
    assert refused.value.detail == "reach"
    assert apply(DETAILS, "gender", None).gender is Gender.UNKNOWN
    assert apply(DETAILS, "area", None).area == ""
