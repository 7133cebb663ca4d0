"""An admin sends a .csv to the bot in private: every good row becomes a contact, every bad
row is named with its line and reason, and the refused rows come back as a file to fix."""

import asyncio
import io
from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.errors import InvalidInput
from domain.members import Member
from domain.roles import Role
from services.importing import run_import
from services.options import Options
from storage.uow import UnitOfWork
from views import import_texts
from views.duplicate_texts import touch_notice
from views.filters import HasRole, InPrivate
from views.importing import imported_notice, refused_document, summary
from views.texts import fit
from views.language import for_reader

CSV_TYPES = ("text/csv", "text/plain", "application/vnd.ms-excel", "text/comma-separated-values")


async def got_file(message: Message, bot: Bot, member: Member, uow: UnitOfWork, clock: Clock,
                   settings: Options) -> None:
    doc = message.document
    assert doc is not None
    name = doc.file_name or "import.csv"
    if not (name.lower().endswith(".csv") or doc.mime_type in CSV_TYPES):
        await message.answer(_("To import contacts, send a .csv file (first row: column names)."))
        return
    if (doc.file_size or 0) > settings.import_max_bytes:
        await message.answer(_too_large(settings.import_max_bytes))
        return
    buffer = io.BytesIO()
    await bot.download(doc, destination=buffer)
    data = buffer.getvalue()
    if len(data) > settings.import_max_bytes:
        await message.answer(_too_large(settings.import_max_bytes))
        return
    try:
        table = await asyncio.to_thread(read_table, data)  # 50k rows: seconds of CPU
    except InvalidInput as exc:
        await message.answer(escape(import_texts.table_problem(exc.detail)))
        return
    plan = await asyncio.to_thread(plan_import, table, settings.phone_region, f"csv:{name}")
    status = await message.answer(ngettext("Importing {file}: {rows} row…", "Importing {file}: {rows} rows…",
                                           len(table.rows)).format(file=escape(name), rows=len(table.rows)))

    async def progress(done: int, total: int) -> None:
        try:
            await status.edit_text(ngettext("Importing {file}: {done} of {rows} row…",
                                            "Importing {file}: {done} of {rows} rows…", total).format(
                file=escape(name), done=done, rows=total))
        except TelegramAPIError:
            pass  # progress is a courtesy; the import goes on

    report = await run_import(uow, member, name, table, plan, clock.now(), settings.quiet(),
                              for_reader(touch_notice), for_reader(imported_notice), progress,
                              settings.import_progress_every)
    await message.answer(fit(escape(summary(report))))
    if report.refused:
        await message.answer_document(refused_document(table, report),
                                      caption=_("The refused rows with their reasons: fix and send again."))


def _too_large(limit: int) -> str:
    """Said before and after the download (Telegram's file_size may be missing): one text."""
    return ngettext("That file is too large (at most {n} byte). Split it and send the parts.",
                    "That file is too large (at most {n} bytes). Split it and send the parts.",
                    limit).format(n=limit)


def router() -> Router:
    r = Router(name="csv_import")
    r.message.register(got_file, F.document, InPrivate(), HasRole(Role.ADMIN))
    return r
