"""CSV documents for spreadsheets: a cell that a spreadsheet would run as a formula is quoted.
Every CSV the bot writes goes through document()."""

import csv
import io
from collections.abc import Iterable

from aiogram.types import BufferedInputFile

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> str:
    """Numbers pass as they are; text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def document(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> BufferedInputFile:
    """The one CSV writer of the bot: every cell escaped, the header too (the refused-rows
    file repeats an uploaded header, which is someone else's text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([safe(v) for v in row] for row in [header, *rows])
    return BufferedInputFile(buffer.getvalue().encode("utf-8-sig"), filename=filename)
