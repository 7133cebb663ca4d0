"""Reading people's spreadsheet exports: encodings, delimiters, header aliases, line numbers."""

import pytest

from domain.csv_table import SURNAME_FIRST, field_for, map_columns, read_table
from domain.errors import InvalidInput


@pytest.mark.parametrize(("cell", "field"), [
    ("Name", "name"), ("ФИО", SURNAME_FIRST), ("Ім'я", "given_name"), ("Full Name", "name"),
    ("First_Name", "given_name"), ("Фамилия", "family_name"), ("Surname", "family_name"),
    ("phone", "phone"), ("Телефон", "phone"), ("tel", "phone"), ("Phone Number", "phone"),
    ("Telegram", "tg_username"), ("tg_username", "tg_username"), ("E-mail", "email"),
    ("Пошта", "email"), ("Sex", "gender"), ("Мова", "language"), ("City", "area"),
    ("Комментарий", "notes"), ("utm_source", "source"), ("age", None), ("", None)])
def test_header_aliases(cell: str, field: str | None) -> None:
    assert field_for(cell) == field


def test_first_column_of_a_field_wins_and_unknown_ones_are_listed() -> None:
    columns, ignored = map_columns(["Name", "Phone", "Age", "Mobile"])
    assert columns == {0: "name", 1: "phone"}
    assert ignored == ("Age", "Mobile")


@pytest.mark.parametrize(("header", "code"), [
    (["phone", "email"], "no_name_column"), (["name", "city"], "no_reach_column")])
def test_a_header_without_name_or_reach_is_refused(header: list[str], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        map_columns(header)
    assert caught.value.detail == code


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    data = delimiter.join(["name", "phone", "city"]) + "\n" + \
        delimiter.join(["Maria", "+380441234567", "Kyiv"]) + "\n"
    table = read_table(data.encode())
    assert table.rows[0].cells == ("Maria", "+380441234567", "Kyiv")
    assert table.columns == {0: "name", 1: "phone", 2: "area"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_encodings(encoding: str) -> None:
    table = read_table("имя;телефон\nМария;+380441234567\n".encode(encoding))
    assert table.record(table.rows[0]) == {"name": "Мария", "phone": "+380441234567"}


def test_line_numbers_count_blank_lines_and_multiline_cells() -> None:
    data = b'name,phone,notes\nA,1,x\n\nB,2,"two\nlines"\nC,3,y\n'
    table = read_table(data)
    assert [(r.line, r.cells[0]) for r in table.rows] == [(2, "A"), (4, "B"), (6, "C")]


def test_a_short_row_misses_its_last_fields() -> None:
    table = read_table(b"name,phone,city\nMaria,+380441234567\n")
    assert table.record(table.rows[0]) == {"name": "Maria", "phone": "+380441234567"}


@pytest.mark.parametrize("data", [b"", b"  \n\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        read_table(data)


@pytest.mark.parametrize(("csv_text", "record"), [
    # a ФИО column: the whole name as written, and its parts read surname first
    ("ФИО;Телефон\nИванова Мария Петровна;1\n",
     {"name": "Иванова Мария Петровна", "given_name": "Мария", "family_name": "Иванова",
      "phone": "1"}),
    ("ПІБ,phone\nКоваленко,1\n", {"name": "Коваленко", "phone": "1"}),
    # columns of their own: the name is made of them by the field checks
    ("Фамилия;Имя;Телефон\nИванова;Мария;1\n",
     {"family_name": "Иванова", "given_name": "Мария", "phone": "1"}),
    ("First name,Last name,Phone\nMaria,Ivanova,1\n",
     {"given_name": "Maria", "family_name": "Ivanova", "phone": "1"}),
    # an explicit column beats the ФИО reading
    ("ФИО;Имя;Телефон\nИванова Мария;Маша;1\n",
     {"name": "Иванова Мария", "given_name": "Маша", "family_name": "Иванова", "phone": "1"}),
    # a lone first-name column holds whole names, as it always did
    ("Имя;Телефон\nMaria Ivanova;1\n", {"name": "Maria Ivanova", "phone": "1"}),
])
def test_name_columns_fill_the_name_and_its_parts(csv_text: str, record: dict) -> None:
    table = read_table(csv_text.encode())
    assert table.record(table.rows[0]) == record


def test_a_ragged_row_does_not_make_the_header_unreadable() -> None:
    """Found by the fuzzer: one row shorter than the header made csv.Sniffer give up, the
    file was read with commas, and a tab-separated file got "No name column found"."""
    table = read_table("имя\tпошта\tgender\nAnna\ta@b.co\n".encode())
    assert set(table.columns.values()) == {"name", "email", "gender"}
    assert table.rows[0].cells == ("Anna", "a@b.co")
