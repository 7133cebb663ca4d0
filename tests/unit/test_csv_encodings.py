"""Which encodings a CSV may come in, and a clear refusal for the others: UTF-16 and UTF-32
files (Excel's "Unicode text") carry a byte order mark and are read; a KOI8-R file or a
UTF-16 file without a mark is named as an encoding problem, not as "No name column"."""

import pytest

from domain.csv_table import read_table
from domain.errors import InvalidInput

CYRILLIC = "ФИО,Телефон,Город\nМария Иванова,+380441234567,Подол\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "utf-32", "cp1251"])
def test_readable_encodings(encoding: str) -> None:
    data = CYRILLIC.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # Excel writes the mark; so does Notepad
        data = "\ufeff".encode(encoding) + data
    table = read_table(data)
    assert table.header == ("ФИО", "Телефон", "Город")
    assert table.rows[0].cells == ("Мария Иванова", "+380441234567", "Подол")


@pytest.mark.parametrize(("text", "encoding"), [
    (CYRILLIC, "koi8-r"), (CYRILLIC, "utf-16-le"), ("name,phone\nMaria,+380441234567\n", "utf-16-be"),
    ("Имя;Телефон\nМария;+380441234567\n", "koi8-u"), (CYRILLIC, "cp866")])
def test_other_encodings_are_named_as_the_problem(text: str, encoding: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_table(text.encode(encoding))
    assert caught.value.detail == "encoding"


def test_a_windows_1251_file_without_a_name_column_still_says_so() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_table("Телефон,Город\n+380441234567,Подол\n".encode("cp1251"))
    assert caught.value.detail == "no_name_column"
