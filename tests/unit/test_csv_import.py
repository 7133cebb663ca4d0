"""Which rows become contacts: good rows go in, bad ones are named; in-file repeats are left
to intake, like a seeker arriving twice."""

from domain.csv_import import plan_import
from domain.csv_table import read_table

FILE = b"""name;phone;telegram;email;gender
Maria Ivanova;+380441234567;;;f
;+380441234568;;;m
Oleh;12;;;m
Anna;;@anna_k;;x
Maria again;044 123 4567;;;f
Ira;;;IRA@example.com;f
Ira twin;;;ira@example.com;f
Lena;;@Anna_K;;f
"""


def test_good_rows_are_accepted_with_the_file_as_source() -> None:
    plan = plan_import(read_table(FILE), "UA", "csv:leads.csv")
    assert [(a.line, a.details.name) for a in plan.accepted] == [
        (2, "Maria Ivanova"), (6, "Maria again"), (7, "Ira"), (8, "Ira twin"), (9, "Lena")]
    assert {a.details.source for a in plan.accepted} == {"csv:leads.csv"}


def test_bad_rows_are_named_with_their_line_and_repeats_go_on_to_intake() -> None:
    plan = plan_import(read_table(FILE), "UA", "csv:leads.csv")
    got = {r.line: [(e.field, e.code) for e in r.errors] for r in plan.refused}
    assert got == {3: [("name", "required")], 4: [("phone", "phone")], 5: [("gender", "gender")]}
