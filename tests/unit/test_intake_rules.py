import pytest

from domain.errors import InvalidInput
from domain.intake import parse_name, parse_phone, parse_reach


@pytest.mark.parametrize("typed", ["+380 44 123 4567", "044 123 4567", "(044) 123-45-67", "+380441234567"])
def test_phones_normalise_to_e164(typed: str) -> None:
    assert parse_phone(typed, "UA") == "+380441234567"


@pytest.mark.parametrize("typed", ["123", "+1 000", "phone", "+380 44 12"])
def test_bad_phones_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_phone(typed, "UA")


def test_reach_holds_several_ways() -> None:
    assert parse_reach("+380 44 123 4567, @maria_k, maria@example.com", "UA") == {
        "phone": "+380441234567", "tg_username": "maria_k", "email": "maria@example.com"}


def test_username_by_at_or_link() -> None:
    assert parse_reach("t.me/maria_k", "UA") == {"tg_username": "maria_k"}
    assert parse_reach("@maria_k", "UA") == {"tg_username": "maria_k"}


@pytest.mark.parametrize("typed", ["", "  ", "@ab", "x" * 40, "1234567", "nonsense"])
def test_reach_refuses_nonsense(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_reach(typed, "UA")


def test_name_is_trimmed_and_bounded() -> None:
    assert parse_name("  Maria   Ivanova ") == "Maria Ivanova"
    with pytest.raises(InvalidInput):
        parse_name("x" * 101)
    with pytest.raises(InvalidInput):
        parse_name("   ")
