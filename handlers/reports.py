"""/report for dispatchers and admins: a text summary, one chart, the full table as CSV;
/target for admins."""

import asyncio
from html import escape
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.members import Member
from domain.numbers import parse_int
from domain.reports import parse_period
from domain.roles import DISPATCH_ROLES, Role
from services import reports
from services.options import Options
from storage.uow import UnitOfWork
from views import labels
from views.csv_files import document
from views.filters import HasRole
from views.replies import send_part
from views.report_charts import render, render_areas
from views.report_texts import area_chart_text, auto_name, chart_text, summary, table
from views.texts import fit


async def report(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                 clock: Clock, settings: Options) -> None:
    zone = ZoneInfo(member.timezone or settings.team_timezone)
    try:
        period = parse_period(command.args or "", clock.now(), zone)
    except DomainError:
        await message.answer(_("Send /report (last 7 days), /report 30 (last 30 days) or /report 2026-11-01 2026-11-30."))
        return
    result = await reports.build_report(uow, member, period, auto_name())
    await message.answer(fit(summary(result, zone)))
    png = await asyncio.to_thread(render, chart_text(result, zone))
    await send_part(message, message.answer_photo(BufferedInputFile(png, "report.png")),
                    _("I could not send the chart; the figures are above."))
    names = await reports.area_names(uow, member)
    areas_png = await asyncio.to_thread(render_areas, area_chart_text(result, zone, names))
    await send_part(message, message.answer_photo(BufferedInputFile(areas_png, "areas.png")),
                    _("I could not send the chart by area; the figures are in the table."))
    await send_part(message, message.answer_document(
        document("report.csv", ["section", "who", "metric", "value"], table(result)),
        caption=_("The full table.")), _("I could not send the table as a file; the figures are above."))


async def target(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                 clock: Clock) -> None:
    who, _sep, number = (command.args or "").rpartition(" ")
    try:
        meetings = parse_int(number, 0, reports.MAX_TARGET)
    except InvalidInput:
        meetings = None
    if not who or meetings is None:
        await message.answer(_("Send: /target Anna 8 (meetings per 30 days, at most {n}; 0 removes it).").format(n=reports.MAX_TARGET))
        return
    try:
        multiplier = await reports.set_target(uow, member, who, meetings, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(ngettext("Target for {name}: {n} meeting per 30 days.",
                                  "Target for {name}: {n} meetings per 30 days.", meetings).format(
        name=escape(multiplier.name), n=meetings))


def router() -> Router:
    r = Router(name="reports")
    r.message.register(report, Command("report"), HasRole(Role.ADMIN, *DISPATCH_ROLES))
    r.message.register(target, Command("target"), HasRole(Role.ADMIN))
    return r
