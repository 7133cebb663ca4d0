"""Commands that work anywhere and in any dialog step: /cancel, /help."""

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.members import Member
from views.help import help_text


async def cancel(message: Message, state: FSMContext) -> None:
    had_dialog = await state.get_state() is not None
    await state.clear()
    await message.answer(_("Cancelled. Nothing was saved.") if had_dialog else _("Nothing to cancel."))


async def help_(message: Message, member: Member | None) -> None:
    await message.answer(help_text(member))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="common")
    r.message.register(cancel, Command("cancel"), StateFilter("*"))
    r.message.register(help_, Command("help"))
    return r
