"""Exported cells a spreadsheet would run as a formula are quoted; the rest pass unchanged."""

import csv
import io

import pytest

from views.csv_files import document, safe


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+380441234567", "'+380441234567"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Maria", "Maria"), ("", ""), ("a=b", "a=b"), (42, "42"), (-1, "-1"), (None, "None")])
def test_formula_starts_are_quoted(value: object, cell: str) -> None:
    assert safe(value) == cell


def test_document_round_trips_with_quoted_cells() -> None:
    doc = document("x.csv", ["name", "notes"], [["=cmd|' /C calc'!A0", "ok, \"quoted\""]])
    rows = list(csv.reader(io.StringIO(doc.data.decode("utf-8-sig"))))
    assert rows == [["name", "notes"], ["'=cmd|' /C calc'!A0", "ok, \"quoted\""]]


def test_every_cell_is_escaped_the_header_too() -> None:
    """The refused-rows file repeats the uploaded header: it is someone else's text."""
    doc = document("refused.csv", ["line", "=HYPERLINK(\"http://x\",\"open\")"], [[7, "-x"]])
    rows = list(csv.reader(io.StringIO(doc.data.decode("utf-8-sig"))))
    assert rows == [["line", "'=HYPERLINK(\"http://x\",\"open\")"], ["7", "'-x"]]
