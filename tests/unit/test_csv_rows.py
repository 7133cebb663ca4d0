"""A CSV file never loses rows silently: an unbalanced quote that would swallow the rest of
the file refuses it naming the line; a cell too long for the reader refuses its row only."""

import pytest

from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.errors import InvalidInput


def test_an_unbalanced_quote_refuses_the_file_naming_its_line() -> None:
    data = (b'name,phone,notes\nMaria,+380441234567,ok\nOlga,+380441234568,"she said\n'
            b'Ira,+380441234569,y\nLena,+380441234560,z\n')
    with pytest.raises(InvalidInput) as refused:
        read_table(data)
    assert refused.value.detail == "quote:3"


def test_quotes_that_close_and_a_stray_quote_on_the_last_line_are_fine() -> None:
    table = read_table(b'name,phone,notes\nMaria,+380441234567,"two\nlines, ""quoted"""\n'
                       b'Ira,+380441234569,5" tall\n\n\n')
    assert [r.cells[2] for r in table.rows] == ['two\nlines, "quoted"', '5" tall']


def test_a_cell_too_long_refuses_its_row_only() -> None:
    data = (b"name,phone,notes\nMaria,+380441234567,a\nOlga,+380441234568," + b"x" * 200_000
            + b"\nIra,+380441234569,c\n")
    plan = plan_import(read_table(data), "UA", "csv:leads.csv")
    assert [a.line for a in plan.accepted] == [2, 4]
    assert [(r.line, [(e.field, e.code) for e in r.errors]) for r in plan.refused] == [
        (3, [("row", "cell_too_long")])]
