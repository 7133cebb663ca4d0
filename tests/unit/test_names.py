"""The name a seeker is called by before Yes: the given name, whichever order it was written."""

import pytest

from domain.contacts import ContactDetails
from domain.names import call_name, given_of_typed, is_patronymic, joined, read_surname_first


@pytest.mark.parametrize(("word", "expected"), [
    ("Петровна", True), ("Петрович", True), ("Андреевич", True), ("Ильич", True),
    ("Ильинична", True), ("Андріївна", True), ("Петрівна", True), ("Іллічна", True),
    ("Petrovich", True), ("Petrovych", True), ("Petrovna", True), ("Petrivna", True),
    ("Ilyinichna", True), ("ПЕТРОВНА", True),
    ("Бич", False), ("Rich", False), ("Иванова", False), ("Мария", False), ("", False)])
def test_patronymics_are_known_by_their_ending(word: str, expected: bool) -> None:
    assert is_patronymic(word) is expected


@pytest.mark.parametrize(("typed", "given"), [
    ("Maria Ivanova", "Maria"),  # today's reading: the first word
    ("Иванова Мария", "Иванова"),  # two words say nothing about their order
    ("Иванова Мария Петровна", "Мария"),  # clearly Surname Given Patronymic
    ("Шевченко Олена Петрівна", "Олена"),
    ("Ivanova Maria Petrovna", "Maria"),
    ("Мария Петровна Иванова", "Мария"),  # Given Patronymic Surname
    ("Мария Петровна", "Мария"),
    ("Анна Мария Петрович Иванова", "Анна"),  # not three words: the first
    ("Maria", "Maria"),
    ("  Maria   Ivanova ", "Maria"),
    ("", ""),
])
def test_a_typed_name_gives_its_first_word_unless_clearly_surname_first(
        typed: str, given: str) -> None:
    assert given_of_typed(typed) == given


@pytest.mark.parametrize(("fio", "parts"), [
    ("Иванова Мария Петровна", ("Мария", "Иванова")),
    ("Иванова Мария", ("Мария", "Иванова")),
    ("Коваленко Олег Іванович", ("Олег", "Коваленко")),
    ("Мария Петровна Иванова", ("Мария", "Иванова")),  # says so by its patronymic
    ("Иванова", (None, None)),
    ("", (None, None)),
])
def test_a_fio_cell_is_read_surname_first(fio: str, parts: tuple) -> None:
    assert read_surname_first(fio) == parts


@pytest.mark.parametrize(("name", "given", "shown"), [
    ("Иванова Мария", "Мария", "Мария"),  # a stored given name wins
    ("Иванова Мария", None, "Иванова"),  # a record from before: read the name
    ("Иванова Мария Петровна", None, "Мария"),
])
def test_the_call_name_prefers_the_stored_given_name(name: str, given: str | None,
                                                     shown: str) -> None:
    assert call_name(name, given) == shown
    assert ContactDetails(name=name, given_name=given).call_name == shown


@pytest.mark.parametrize(("given", "family", "full"), [
    ("Maria", "Ivanova", "Maria Ivanova"), ("Maria", None, "Maria"), (None, "Ivanova", "Ivanova"),
    (None, None, "")])
def test_parts_make_a_full_name(given: str | None, family: str | None, full: str) -> None:
    assert joined(given, family) == full
