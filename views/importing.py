"""The words of an import: its summary, the ping for the file and the refused rows as a file."""

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.csv_table import Table
from services.importing import ImportReport
from views import import_texts
from views.csv_files import document


def imported_notice(n: int, file_name: str) -> str:
    return ngettext("📥 {n} new contact imported from {file}; /queue lists it.",
                    "📥 {n} new contacts imported from {file}; /queue lists them.", n).format(
        n=n, file=escape(file_name))


def summary(report: ImportReport) -> str:
    """Plain text (escape it for HTML)."""
    head = ngettext(
        "Import of {file}: {imported} imported (possible duplicates: {suspected}), {attached} "
        "already known (added to their contact), {refused} row refused (of {rows}).",
        "Import of {file}: {imported} imported (possible duplicates: {suspected}), {attached} "
        "already known (added to their contact), {refused} rows refused (of {rows}).",
        len(report.refused)).format(
        file=report.file_name, imported=len(report.imported),
        suspected=len(report.suspected), attached=len(report.attached),
        refused=len(report.refused), rows=report.rows)
    lines = [head] + [_("line {line}: {reason}").format(line=r.line, reason=import_texts.reason(r))
                      for r in report.refused]
    return "\n".join(lines)


def refused_document(table: Table, report: ImportReport):  # type: ignore[no-untyped-def]
    """The refused rows as they were, with their line and reason, to fix and send again."""
    rows = [[r.line, import_texts.reason(r), *r.cells] for r in report.refused]
    return document("refused-" + report.file_name, ["line", "reason", *table.header], rows)
