"""A contact as data (API body, CSV row): every field checked, every problem named."""

import pytest

from domain.contact_fields import check_contact, with_source
from domain.contacts import ContactDetails
from domain.members import Gender


def errors(data: dict, strict: bool = True) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in check_contact(data, "UA", strict).errors}


def test_a_full_contact_is_cleaned() -> None:
    checked = check_contact({"name": "  Maria  Ivanova ", "phone": "044 123 4567",
                             "tg_username": "@maria_k", "email": " maria@example.com ",
                             "gender": "F", "language": "RU", "area": "Podil",
                             "notes": "wants to talk", "source": "form"}, "UA")
    assert checked.errors == ()
    assert checked.details == ContactDetails(
        name="Maria Ivanova", phone="+380441234567", tg_username="maria_k",
        email="maria@example.com", gender=Gender.FEMALE, language="ru", area="Podil",
        notes="wants to talk", source="form")


@pytest.mark.parametrize(("data", "expected"), [
    ({"phone": "+380441234567"}, {("name", "required")}),
    ({"name": "", "phone": "+380441234567"}, {("name", "required")}),
    ({"name": "M", "phone": "12"}, {("phone", "phone")}),
    ({"name": "M", "email": "maria@"}, {("email", "email")}),
    ({"name": "M", "tg_username": "@ab"}, {("tg_username", "username")}),
    ({"name": "M", "email": "m@x.io", "gender": "x"}, {("gender", "gender")}),
    ({"name": "M", "email": "m@x.io", "language": "r1"}, {("language", "language")}),
    ({"name": "M", "email": "m@x.io", "notes": "x" * 1001}, {("notes", "too_long")}),
    ({"name": "x" * 101, "email": "m@x.io"}, {("name", "too_long")}),
    ({"name": "M"}, {("phone", "reach")}),
    ({"name": "M", "email": "m@x.io", "age": "30"}, {("age", "unknown")}),
    ({"name": 5, "email": ["m@x.io"]}, {("name", "not_text"), ("email", "not_text")}),
    ({"name": "", "phone": "12", "email": "nope"},
     {("name", "required"), ("phone", "phone"), ("email", "email")}),
])
def test_every_problem_is_named_with_its_field(data: dict, expected: set) -> None:
    assert errors(data) == expected


def test_unknown_fields_pass_when_not_strict() -> None:
    assert errors({"name": "M", "email": "m@x.io", "age": "30"}, strict=False) == set()


@pytest.mark.parametrize(("typed", "gender"), [
    ("m", Gender.MALE), ("Male", Gender.MALE), ("ж", Gender.FEMALE), ("female", Gender.FEMALE),
    ("", Gender.UNKNOWN), ("u", Gender.UNKNOWN)])
def test_genders_in_several_spellings(typed: str, gender: Gender) -> None:
    details = check_contact({"name": "M", "email": "m@x.io", "gender": typed}, "UA").details
    assert details is not None and details.gender is gender


def test_a_null_is_an_absent_field() -> None:
    details = check_contact({"name": "M", "email": "m@x.io", "phone": None}, "UA").details
    assert details is not None and details.phone is None


@pytest.mark.parametrize(("given", "expected"), [
    ("", "api:webform"), ("Instagram", "api:webform · Instagram")])
def test_the_channel_leads_the_source(given: str, expected: str) -> None:
    assert with_source(ContactDetails(name="M", source=given), "api:webform").source == expected


@pytest.mark.parametrize(("data", "name", "given", "family"), [
    ({"name": "Ivanova Maria", "given_name": " Maria ", "family_name": "Ivanova"},
     "Ivanova Maria", "Maria", "Ivanova"),
    ({"given_name": "Maria", "family_name": "Ivanova"}, "Maria Ivanova", "Maria", "Ivanova"),
    ({"given_name": "Maria"}, "Maria", "Maria", None),
    ({"name": "Maria Ivanova", "given_name": "", "family_name": None},
     "Maria Ivanova", None, None),
])
def test_the_name_parts_are_kept_and_make_a_missing_name(
        data: dict, name: str, given: str | None, family: str | None) -> None:
    details = check_contact({**data, "phone": "+380441234567"}, "UA").details
    assert details is not None
    assert (details.name, details.given_name, details.family_name) == (name, given, family)


def test_name_parts_are_checked_like_the_name() -> None:
    assert errors({"name": "M", "given_name": "x" * 101, "family_name": 3,
                   "email": "m@x.io"}) == {("given_name", "too_long"),
                                           ("family_name", "not_text")}
