"""/export contacts [YYYY-MM-DD] and /export audit [YYYY-MM-DD]: CSV documents for admins,
in private only (seekers' details), cells safe from spreadsheet formula injection."""

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.errors import InvalidInput
from domain.exports import AUDIT_COLUMNS, CONTACT_COLUMNS, parse_since
from domain.members import Member
from domain.roles import Role
from services import export
from storage.uow import UnitOfWork
from views.csv_files import document
from views.filters import HasRole, InPrivate


async def export_csv(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                     clock: Clock) -> None:
    what, _sep, since_text = (command.args or "").strip().partition(" ")
    try:
        since = parse_since(since_text)
    except InvalidInput:
        what = ""
    now = clock.now()
    if what == "contacts":
        rows = await export.contacts(uow, member, since, now)
        header = CONTACT_COLUMNS
    elif what == "audit":
        rows = await export.audit(uow, member, since, now)
        header = AUDIT_COLUMNS
    else:
        await message.answer(_("Usage: /export contacts or /export audit, optionally with a "
                               "start date: /export audit 2026-11-01"))
        return
    stamp = now.strftime("%Y%m%d-%H%M")
    await message.answer_document(document(f"{what}-{stamp}.csv", header, rows),
                                  caption=ngettext("{n} row.", "{n} rows.", len(rows)).format(
                                      n=len(rows)))


def router() -> Router:
    r = Router(name="csv_export")
    r.message.register(export_csv, Command("export"), HasRole(Role.ADMIN), InPrivate())
    return r
