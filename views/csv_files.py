"""CSV documents for spreadsheets: a cell that a spreadsheet would run as a formula is quoted."""

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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe(v) for v in row] for row in rows)
    return BufferedInputFile(buffer.getvalue().encode("utf-8-sig"), filename=filename)
