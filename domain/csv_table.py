"""Reading a spreadsheet export: its encoding, its delimiter, and which column is which.

People export from Excel, Google Sheets and CRMs in several languages, so the header is
matched by folded aliases ("Phone", "телефон", "tel") and the delimiter is sniffed.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from domain.errors import InvalidInput

ENCODINGS = ("utf-8-sig", "cp1251")  # utf-8-sig also reads plain utf-8
DELIMITERS = ",;\t"

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "first name", "contact", "имя", "фио",
             "ім'я", "імя", "піб"),
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


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    columns: dict[int, str]  # column index -> contact field
    ignored: tuple[str, ...]  # header cells that are no known field
    rows: tuple[Row, ...]

    def record(self, row: Row) -> dict[str, str]:
        return {field: row.cells[i] for i, field in self.columns.items() if i < len(row.cells)}


def decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("encoding")  # cp1251 decodes almost anything; kept for safety


def field_for(header_cell: str) -> str | None:
    key = " ".join(header_cell.strip().lower().replace("_", " ").split())
    return _LOOKUP.get(key) or _LOOKUP.get(key.replace(" ", "_"))


def map_columns(header: list[str]) -> tuple[dict[int, str], tuple[str, ...]]:
    """The first column for each field wins; a file without a name column cannot be read."""
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        field = field_for(cell)
        if field is None or field in columns.values():
            ignored.append(cell)
        else:
            columns[index] = field
    if "name" not in columns.values():
        raise InvalidInput("no_name_column")
    if not {"phone", "tg_username", "email"} & set(columns.values()):
        raise InvalidInput("no_reach_column")
    return columns, tuple(ignored)


def read_table(data: bytes) -> Table:
    text = decode(data)
    if not text.strip():
        raise InvalidInput("empty")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(_rows(reader))
    if not rows:
        raise InvalidInput("empty")
    header = [c.strip() for c in rows[0].cells]
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
    """Blank lines are skipped; a quoted cell may span lines, so the start line is kept."""
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield Row(start, tuple(cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"csv:{start}") from exc
