"""/supply: where seekers wait and who could take them, as a message and as a CSV document."""


from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from services import supply
from storage.uow import UnitOfWork
from views.csv_files import document
from views.filters import HasRole
from views.replies import send_part
from views.supply_texts import CSV_HEADER, csv_rows, text
from views.texts import fit


async def show(message: Message, member: Member, uow: UnitOfWork, clock: Clock) -> None:
    report, names = await supply.report(uow, member, clock.now())
    await message.answer(fit(text(report, names)))
    await send_part(message, message.answer_document(
        document("supply.csv", CSV_HEADER, csv_rows(report, names)),
        caption=_("The same numbers as a table.")),
        _("I could not send the table as a file; the figures are above."))


def router() -> Router:
    r = Router(name="supply")
    r.message.register(show, Command("supply"), HasRole(Role.ADMIN, *DISPATCH_ROLES))
    return r
