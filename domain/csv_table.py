"""Reading a spreadsheet export: its encoding, its delimiter, and which column is which.

People export from Excel, Google Sheets and CRMs in several languages, so the header is
matched by folded aliases ("Phone", "телефон", "tel") and the delimiter is sniffed.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.names import read_surname_first

#: A byte order mark names its encoding (UTF-32 first: its LE mark starts like UTF-16's).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
#: Without a mark: UTF-8, else Windows-1251 (which decodes almost any bytes, so it is a guess).
GUESSED = "cp1251"
DELIMITERS = ",;\t"
#: A full name written surname first (ФИО, ПІБ): read into its parts row by row.
SURNAME_FIRST = "name_surname_first"

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "contact"),
    # A lone given-name column is the whole name as typed (see map_columns).
    "given_name": ("given name", "first name", "firstname", "forename", "имя", "ім'я", "імя"),
    "family_name": ("family name", "last name", "lastname", "surname", "фамилия",
                    "прізвище"),
    SURNAME_FIRST: ("фио", "ф.и.о.", "ф. и. о.", "піб", "п.і.б.", "п. і. б."),
    "phone": ("phone", "phone number", "tel", "telephone", "mobile", "cell", "телефон", "тел",
              "номер", "мобильный", "мобільний"),
    "tg_username": ("tg_username", "telegram", "username", "tg", "telegram username",
                    "телеграм", "телеграмм"),
    "email": ("email", "e-mail", "mail", "почта", "пошта", "эл. почта", "ел. пошта"),
    "gender": ("gender", "sex", "пол", "стать"),
    "language": ("language", "lang", "язык", "мова"),
    "area": ("area", "city", "place", "location", "district", "город", "район", "місто",
             "населенный пункт"),
    "notes": ("notes", "note", "comment", "comments", "message", "комментарий", "коментар",
              "примечание", "примітка"),
    "source": ("source", "utm_source", "источник", "джерело"),
}
_LOOKUP = {alias: field for field, names in ALIASES.items() for alias in names}


@dataclass(frozen=True)
class Row:
    line: int  # the line of the file where the row starts (the header is line 1)
    cells: tuple[str, ...]
    problem: str | None = None  # the line could not be read ("cell_too_long"): refused


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    columns: dict[int, str]  # column index -> contact field
    ignored: tuple[str, ...]  # header cells that are no known field
    rows: tuple[Row, ...]

    def record(self, row: Row) -> dict[str, str]:
        """The row by contact field; a ФИО cell gives the name and, unless the file has
        columns of their own for them, its given and family parts."""
        record = {field: row.cells[i] for i, field in self.columns.items() if i < len(row.cells)}
        full = record.pop(SURNAME_FIRST, "")
        if full.strip():
            given, family = read_surname_first(full)
            for field, value in (("name", full), ("given_name", given), ("family_name", family)):
                if value and not record.get(field, "").strip():
                    record[field] = value
        return record


def decode(data: bytes) -> tuple[str, bool]:
    """The text, and whether its encoding was a guess (Windows-1251). Many NUL bytes without
    a mark are UTF-16 or UTF-32 saved without one (every ASCII character brings one or three);
    a stray NUL in a cell is text, and the field rules take it out."""
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), None)
    if encoding is None and data.count(0) > len(data) // 10:
        raise InvalidInput("encoding")
    try:
        return data.decode(encoding or "utf-8"), False
    except UnicodeDecodeError:
        if encoding is not None:
            raise InvalidInput("encoding") from None
    try:
        return data.decode(GUESSED), True
    except UnicodeDecodeError:
        raise InvalidInput("encoding") from None


def field_for(header_cell: str) -> str | None:
    key = " ".join(header_cell.strip().lower().replace("_", " ").split())
    return _LOOKUP.get(key) or _LOOKUP.get(key.replace(" ", "_"))


def map_columns(header: list[str]) -> tuple[dict[int, str], tuple[str, ...]]:
    """The first column for each field wins; a file without a name column cannot be read.
    A "first name" / "Имя" column alone holds whole names as people typed them, as it always
    did: it is the given name only next to a surname or full-name column."""
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        field = field_for(cell)
        if field is None or field in columns.values():
            ignored.append(cell)
        else:
            columns[index] = field
    fields = set(columns.values())
    if not fields & {"name", "given_name", "family_name", SURNAME_FIRST}:
        raise InvalidInput("no_name_column")
    if "given_name" in fields and not fields & {"name", "family_name", SURNAME_FIRST}:
        columns = {i: "name" if f == "given_name" else f for i, f in columns.items()}
    if not {"phone", "tg_username", "email"} & set(columns.values()):
        raise InvalidInput("no_reach_column")
    return columns, tuple(ignored)


def read_table(data: bytes) -> Table:
    """A header without one known column, read by guessing Windows-1251, was in some other
    8-bit encoding (KOI8-R, CP866…): that is the problem to name, not the missing column."""
    text, guessed = decode(data)
    if not text.strip():
        raise InvalidInput("empty")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(_rows(reader))
    if not rows:
        raise InvalidInput("empty")
    _check_quotes(text, rows[-1])
    header = [c.strip() for c in rows[0].cells]
    if guessed and not any(field_for(cell) for cell in header):
        raise InvalidInput("encoding")
    columns, ignored = map_columns(header)
    return Table(tuple(header), columns, ignored, tuple(rows[1:]))


def sniff_delimiter(text: str) -> str:
    """The sniffer needs rows of equal width; when a short or long row makes it give up,
    the header decides: the delimiter it holds most (a ragged tab file is not read as
    one column)."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
        best = max(DELIMITERS, key=header.count)
        return best if header.count(best) else ","


def _rows(reader: "csv._reader") -> Iterator[Row]:  # type: ignore[name-defined]
    """Blank lines are skipped; a quoted cell may span lines, so the start line is kept. A
    line the reader refuses (a cell over csv's field size limit) is kept as a refused row,
    and reading goes on with the next one."""
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num < start:  # no progress: the rest cannot be read
                raise InvalidInput(f"csv:{start}") from exc
            yield Row(start, (), "cell_too_long" if "field limit" in str(exc) else "unreadable")
        else:
            if any(c.strip() for c in cells):
                yield Row(start, tuple(cells))
        start = reader.line_num + 1


def _check_quotes(text: str, last: Row) -> None:
    """A quote opened and never closed makes the reader swallow every later line into one
    cell of the last row: refuse the file, naming the line, rather than lose those rows."""
    lines = io.StringIO(text, newline="").readlines()[last.line - 1:]
    swallowed = any(line.strip() for line in lines[1:])  # blank lines at the end lose nothing
    if swallowed and sum(line.count('"') for line in lines) % 2:
        raise InvalidInput(f"quote:{last.line}")
