"""One rule for invisible characters in every text field from every source (/new, the HTTP
API, a CSV row): control characters and bidirectional overrides are taken out, so a name
cannot hide a NUL or turn a card's text around ("Maria\u202eavonavI")."""

import pytest

from domain.contact_fields import check_contact
from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.errors import InvalidInput
from domain.intake import parse_email, parse_free_text, parse_name, strip_unsafe

RLO, LRI, PDI, ALM = "\u202e", "\u2066", "\u2069", "\u061c"


@pytest.mark.parametrize(("typed", "kept"), [
    ("Ma\x00ria Ivanova", "Maria Ivanova"),
    (f"Maria {RLO}avonavI", "Maria avonavI"),
    (f"{LRI}Maria{PDI}\u200f Ivanova\u200e", "Maria Ivanova"),
    ("Maria\tIvanova\r\n", "Maria Ivanova"),
    (f"Мария{ALM}\x7f\x9b Иванова", "Мария Иванова"),
    ("Olena 👩‍👧 Petrenko", "Olena 👩‍👧 Petrenko"),  # a zero-width joiner is not an override
])
def test_names_lose_controls_and_bidi_overrides(typed: str, kept: str) -> None:
    assert parse_name(typed) == kept
    assert parse_free_text(typed) == kept
    assert strip_unsafe(typed).split() == kept.split()


def test_a_name_of_nothing_but_overrides_is_empty() -> None:
    with pytest.raises(InvalidInput):
        parse_name(f"{RLO}\x00{PDI}")


@pytest.mark.parametrize("email", ["maria\x00@example.com", f"maria{RLO}@example.com"])
def test_an_email_with_invisible_characters_is_refused(email: str) -> None:
    with pytest.raises(InvalidInput):
        parse_email(email)


def test_api_bodies_and_csv_rows_are_cleaned_by_the_same_rule() -> None:
    checked = check_contact({"name": f"Maria{RLO} Ivanova\x00", "phone": "+380441234567",
                             "area": f"Po{RLO}dil", "notes": "call\x00 evenings",
                             "source": f"{LRI}ad{PDI}"}, "UA")
    d = checked.details
    assert (d.name, d.area, d.notes, d.source) == ("Maria Ivanova", "Podil", "call evenings", "ad")
    table = read_table(f"name,phone,city\nMaria{RLO} Ivanova,+380441234567,Po\x00dil\n".encode())
    (row,) = plan_import(table, "UA", "csv:x.csv").accepted
    assert (row.details.name, row.details.area) == ("Maria Ivanova", "Podil")
