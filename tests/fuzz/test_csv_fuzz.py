"""Fuzz the CSV reader (domain.csv_table.read_table + domain.csv_import.plan_import), pure.

Files are written by Python's csv module from a header with a name column and a way to
reach (in any language's alias), random cells (quotes, delimiters, line breaks, NUL, bidi
marks), a random delimiter and quoting, in each encoding people's spreadsheets use. The
promises: the header is recognised; every non-blank data row comes back with exactly the
cells written (nothing lost, nothing garbled by a wrong encoding or delimiter); and each of
those rows is either imported or reported refused, once. Random bytes are refused with an
`InvalidInput` (a report), never another exception.
"""

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.errors import InvalidInput
from tests.fuzz import harness
from tests.fuzz import strategies as fs


def _counted(table) -> None:  # type: ignore[no-untyped-def]
    """Every row of the table is imported or refused, exactly once."""
    plan = plan_import(table, "UA", "csv:leads.csv")
    lines = sorted([a.line for a in plan.accepted] + [r.line for r in plan.refused])
    assert lines == sorted(row.line for row in table.rows), "a row was lost or doubled"


@pytest.mark.parametrize("encoding", fs.ENCODINGS)
def test_every_data_row_is_read_as_written_and_counted(encoding: str) -> None:
    harness.announce(f"csv {encoding}", harness.EXAMPLES)

    @harness.fuzz_settings(harness.EXAMPLES, shrink=True)
    @seed(harness.SEED)
    @given(fs.csv_bytes([encoding]))
    def check(file: tuple[bytes, list[str], list[list[str]], str]) -> None:
        data, header, rows, _ = file
        try:
            table = read_table(data)
        except InvalidInput as exc:
            raise AssertionError(f"a valid {encoding} file was refused: {exc.detail} "
                                 f"(header {header!r})") from exc
        written = [tuple(r) for r in rows if any(c.strip() for c in r)]
        assert [row.cells for row in table.rows] == written, (
            f"cells garbled or lost reading {encoding} (header {header!r})")
        _counted(table)

    check()


@pytest.mark.parametrize("encoding", fs.OTHER_ENCODINGS)
def test_a_file_in_another_encoding_is_refused_for_it_or_counted(encoding: str) -> None:
    harness.announce(f"csv {encoding}", harness.EXAMPLES)

    @harness.fuzz_settings(harness.EXAMPLES, shrink=True)
    @seed(harness.SEED)
    @given(fs.csv_bytes([encoding]))
    def check(file: tuple[bytes, list[str], list[list[str]], str]) -> None:
        try:
            table = read_table(file[0])
        except InvalidInput:
            return  # answered with what went wrong (see test_csv_encodings)
        _counted(table)

    check()


def test_random_bytes_are_refused_with_a_reason_or_counted() -> None:
    @harness.fuzz_settings(harness.EXAMPLES * 2, shrink=True)
    @seed(harness.SEED)
    @given(st.binary(max_size=2000) | fs.csv_bytes().map(lambda f: f[0][: len(f[0]) // 2]))
    def check(data: bytes) -> None:
        try:
            table = read_table(data)
        except InvalidInput:
            return  # the bot and the CLI answer it with one line
        _counted(table)

    check()
