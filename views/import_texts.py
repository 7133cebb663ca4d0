"""Why a row of an imported file was refused, in the reader's language."""

from aiogram.utils.i18n import gettext as _

from domain.contact_fields import FieldError
from domain.csv_import import Refused


def field_problem(code: str) -> str:
    return {
        "required": _("is required"),
        "too_long": _("is too long"),
        "empty": _("is empty"),
        "phone": _("not a valid number (include the country code)"),
        "email": _("not a valid e-mail address"),
        "username": _("not a valid Telegram username"),
        "gender": _("must be m, f or empty"),
        "language": _("must be a language code such as en, ru, uk"),
        "reach": _("no phone, Telegram username or e-mail"),
        "not_text": _("must be text"),
        "unknown": _("is not a known column"),
        "cell_too_long": _("a cell is too long to read; shorten it"),
        "unreadable": _("this line cannot be read as CSV"),
        "not_imported": _("not imported: the database failed; send this row again"),
    }.get(code, code)


def error_line(error: FieldError) -> str:
    return f"{error.field}: {field_problem(error.code)}"


def reason(row: Refused) -> str:
    return "; ".join(error_line(e) for e in row.errors)


def table_problem(code: str) -> str:
    """A file that cannot be read at all."""
    if code.startswith("quote:"):
        return _("A quote (\") opened on line {line} is never closed, so every later row would be lost. Nothing was imported: close the quote and send the file again.").format(line=code[6:])
    if code.startswith("csv:"):
        return _("The file is not valid CSV (near line {line}).").format(line=code[4:])
    return {
        "empty": _("The file is empty."),
        "encoding": _("I cannot read the letters of this file: it is not in UTF-8, UTF-16 or "
                      "UTF-32 (with a byte order mark) or Windows-1251. Save it as CSV UTF-8 "
                      "(Excel: Save As → “CSV UTF-8 (Comma delimited)”; LibreOffice: "
                      "character set “Unicode (UTF-8)”) and send it again."),
        "no_name_column": _("No name column found. The first row must name the columns, e.g. "
                            "name, phone, telegram, email, gender, language, area, notes."),
        "no_reach_column": _("No phone, telegram or email column found."),
    }.get(code, code)
