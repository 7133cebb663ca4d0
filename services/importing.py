"""Importing the accepted rows of a file, CHUNK_ROWS to a transaction and each row in a
savepoint of its own (a refused row never undoes the others). Each new contact reaches the
team like one from /new (intake queues its card); real-time dispatchers hear once for the
whole file. Shared by the bot (an admin sends a .csv) and `dispatchbot import`.

A file is a burst when it has more than BURST_SIZE rows to import (domain.bursts): it knows
so before the first row, so its contacts join one batch of their own with their cards held
from the first row on, and after the last row the team chat gets one summary with a button
to the list of them (services.card_queue). If most rows turned out to be seekers already
known, so that no more than BURST_SIZE new contacts came of it, their cards are posted then.
A smaller file counts into its source's one-minute window like API arrivals do."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.bursts import channel_of, is_burst
from domain.contact_fields import FieldError
from domain.contact_filters import ContactFilter
from domain.csv_import import Accepted, ImportPlan, Refused
from domain.csv_table import Table
from domain.errors import DomainError
from domain.members import Member
from services import bulk_intake, card_queue, intake, notify
from services.intake import ComposeTouch
from services.notify import Quiet
from services.ports import UnitOfWork
from services.transaction import use_case

#: Renders the one ping for a file: (locale, new contacts, file name) -> text.
ComposeImported = Callable[[str, int, str], str]

Progress = Callable[[int, int], Awaitable[None]]

log = logging.getLogger(__name__)


#: Rows committed together, each in a savepoint of its own so that a refused row never undoes
#: the others. One transaction per row spent its time beginning and committing; a whole
#: file in one would keep the write lock (SQLite's single writer) from presses for seconds.
CHUNK_ROWS = 50


@dataclass
class ImportReport:
    file_name: str
    rows: int
    imported: list[int] = field(default_factory=list)  # new contact ids
    attached: list[int] = field(default_factory=list)  # known seekers this file touched again
    refused: list[Refused] = field(default_factory=list)
    suspected: list[int] = field(default_factory=list)  # new contacts: possible duplicates

    def count(self, result: intake.IntakeResult) -> None:
        if not result.created:
            self.attached.append(result.contact.id)
            return
        self.imported.append(result.contact.id)
        if result.suspects:
            self.suspected.append(result.contact.id)

    def add(self, part: "ImportReport") -> None:
        self.imported += part.imported
        self.attached += part.attached
        self.refused += part.refused
        self.suspected += part.suspected


async def run_import(uow: UnitOfWork, actor: Member, file_name: str, table: Table,
                     plan: ImportPlan, now: datetime, quiet: Quiet,
                     compose_touch: ComposeTouch, compose_imported: ComposeImported,
                     progress: Progress | None = None, every: int = 200) -> ImportReport:
    report = ImportReport(file_name, len(table.rows), refused=list(plan.refused))
    arrival = await _arrival(uow, plan, now)
    rows = plan.accepted

    async def chunk(part: list[Accepted]) -> ImportReport:
        return await _import_chunk(uow, actor, table, part, now, arrival, quiet, compose_touch)

    for start in range(0, len(rows), CHUNK_ROWS):
        try:
            report.add(await chunk(rows[start:start + CHUNK_ROWS]))
        except Exception as exc:  # the database failed: stop, but report what was and was not done
            log.exception("import of %s stopped near line %d", file_name, rows[start].line)
            failed = start + exc.index if isinstance(exc, bulk_intake.RowFailed) else start
            kept = await _before_failure(chunk, rows[start:failed])
            report.add(kept)
            stopped = start + kept.rows
            report.refused += [_refused(table, r.line, "not_imported") for r in rows[stopped:]]
            break
        done = min(start + CHUNK_ROWS, len(rows))
        if progress and done // every > start // every:
            await progress(done + len(plan.refused), report.rows)
    report.refused.sort(key=lambda r: r.line)
    if arrival and arrival.batch:
        await _finish_burst(uow, arrival.batch.id, now)
    if report.imported:  # one ping for the file, not one per row
        n = len(report.imported)
        await _ping(uow, lambda locale: compose_imported(locale, n, file_name), now, quiet)
    return report


async def _before_failure(chunk: Callable[[list[Accepted]], Awaitable[ImportReport]],
                          rows: list[Accepted]) -> ImportReport:
    """The rows of a failed chunk before the failing one, once more on their own: a file
    keeps everything up to the row the database failed at, as when each row was its own
    transaction. Nothing if the database fails again."""
    try:
        return await chunk(rows) if rows else ImportReport("", 0)
    except Exception:
        log.exception("the rows before the failure were not imported either")
        return ImportReport("", 0)


@use_case
async def _import_chunk(uow: UnitOfWork, actor: Member, table: Table, chunk: list[Accepted],
                        now: datetime, arrival: card_queue.Arrival | None, quiet: Quiet,
                        compose_touch: ComposeTouch) -> ImportReport:
    """The rows of one chunk, committed together; none of them if the database fails
    (services.bulk_intake.admit_rows)."""
    part = ImportReport("", len(chunk))
    results = await bulk_intake.admit_rows(uow, actor, [r.details for r in chunk], now, arrival,
                                           quiet=quiet, compose_touch=compose_touch, ping=False)
    for row, result in zip(chunk, results):
        if isinstance(result, DomainError):  # e.g. the actor lost the role meanwhile
            part.refused.append(_refused(table, row.line, result.detail or result.code))
        else:
            part.count(result)
    await uow.commit()
    return part


async def _arrival(uow: UnitOfWork, plan: ImportPlan,
                   now: datetime) -> card_queue.Arrival | None:
    """The file's own batch, its cards held from the first row, when it is a burst."""
    if not plan.accepted:
        return None
    channel = channel_of(plan.accepted[0].details.source)
    if not is_burst(len(plan.accepted)):
        return card_queue.Arrival(channel)
    batch = await uow.contacts.new_batch(channel, now)
    await uow.commit()
    return card_queue.Arrival(channel, batch, hold=True)


async def _finish_burst(uow: UnitOfWork, batch_id: int, now: datetime) -> None:
    """The summary, or the cards if few new contacts came of the file. Like the ping, a
    failing database must not cost the admin the report: the contacts are in /queue."""
    try:
        await _summarise_or_release(uow, batch_id, now)
    except Exception:
        log.exception("burst summary not queued")


@use_case
async def _summarise_or_release(uow: UnitOfWork, batch_id: int, now: datetime) -> None:
    batch = await uow.contacts.batch(batch_id)
    if batch is not None and is_burst(batch.count):
        await card_queue.summarise(uow, batch_id, now, now)
    elif batch is not None:
        held, _ = await uow.contacts.listing(ContactFilter(batch_id=batch_id), 0, batch.count)
        for contact in held:
            await card_queue.release(uow, contact.id, now)
    await uow.commit()


async def _ping(uow: UnitOfWork, text: notify.Words, now: datetime, quiet: Quiet) -> None:
    """The cards are queued already; a failing database must not cost the admin the report."""
    try:
        await notify.ping_dispatchers(uow, text, now, quiet)
    except Exception:
        log.exception("import ping not queued")


def _refused(table: Table, line: int, code: str) -> Refused:
    cells = next(r.cells for r in table.rows if r.line == line)
    return Refused(line, cells, (FieldError("row", code),))
