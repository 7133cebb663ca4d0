"""Importing the accepted rows of a file, one transaction per row (a failing row never
undoes the others), each new contact announced to the team like one from /new. Shared by
the bot (an admin sends a .csv) and `dispatchbot import`."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _

from domain.contact_fields import FieldError
from domain.csv_import import ImportPlan, Refused
from domain.csv_table import Table
from domain.errors import DomainError
from domain.members import Member
from handlers import duplicate_texts, import_texts
from handlers.announce import announce
from handlers.csv_files import document
from services import intake, notify
from services.notify import Quiet
from storage.uow import UnitOfWork

Progress = Callable[[int, int], Awaitable[None]]


@dataclass
class ImportReport:
    file_name: str
    rows: int
    imported: list[int] = field(default_factory=list)  # new contact ids
    attached: list[int] = field(default_factory=list)  # known seekers this file touched again
    refused: list[Refused] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.refused if r.duplicate_of is not None)


async def run_import(uow: UnitOfWork, actor: Member, file_name: str, table: Table,
                     plan: ImportPlan, now: datetime, quiet: Quiet,
                     progress: Progress | None = None, every: int = 200) -> ImportReport:
    report = ImportReport(file_name, len(table.rows), refused=list(plan.refused))
    for done, row in enumerate(plan.accepted, start=1):
        try:
            result = await intake.create_contact(uow, actor, row.details, now,
                                                 compose_touch=duplicate_texts.touch_notice,
                                                 quiet=quiet)
        except DomainError as exc:  # e.g. the actor lost the role meanwhile
            cells = next(r.cells for r in table.rows if r.line == row.line)
            report.refused.append(Refused(row.line, cells, (FieldError("row", exc.detail or exc.code),)))
            continue
        if not result.created:
            report.attached.append(result.contact.id)
            continue
        report.imported.append(result.contact.id)
        await announce(uow, result.card, now, quiet, ping=False)
        if progress and done % every == 0:
            await progress(done + len(plan.refused), report.rows)
    report.refused.sort(key=lambda r: r.line)
    if report.imported:  # one ping for the file, not one per row
        await notify.ping_dispatchers(uow, _("📥 {n} new contacts imported from {file}; /queue lists them.").format(
            n=len(report.imported), file=escape(file_name)), now, quiet)
    return report


def summary(report: ImportReport) -> str:
    """Plain text (escape it for HTML)."""
    head = _("Import of {file}: {imported} imported, {attached} already known (added to their contact), {duplicates} repeated in the file, {refused} "
             "rows refused (of {rows}).").format(
        file=report.file_name, imported=len(report.imported), attached=len(report.attached),
        duplicates=report.duplicates, refused=len(report.refused) - report.duplicates,
        rows=report.rows)
    lines = [head] + [_("line {line}: {reason}").format(line=r.line, reason=import_texts.reason(r))
                      for r in report.refused]
    return "\n".join(lines)


def refused_document(table: Table, report: ImportReport):  # type: ignore[no-untyped-def]
    """The refused rows as they were, with their line and reason, to fix and send again."""
    rows = [[r.line, import_texts.reason(r), *r.cells] for r in report.refused]
    return document("refused-" + report.file_name, ["line", "reason", *table.header], rows)
