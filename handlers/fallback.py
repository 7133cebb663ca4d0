"""Whatever no other router took: strangers, wrong pressers, forged buttons, unbound groups."""

from aiogram import F, Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.members import Member
from views.help import help_text
from views.replies import stray_press


async def private(message: Message, member: Member | None) -> None:
    if member is None:
        await message.answer(help_text(None))
    else:
        await message.answer(_("I did not understand that, or it is not for your role. /help lists what you can do."))


async def group_command(message: Message, member: Member | None, team_chat_id: int | None) -> None:
    if member is None:
        await message.answer(_("Sorry, I only work for my team's members."))
    elif message.chat.id != team_chat_id:
        await message.answer(_("This group is not the team chat. An admin can make it one with /bind."))
    else:
        await message.answer(_("That command does not work here, or is not for your role. /help"))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="fallback")
    r.callback_query.register(stray_press)
    r.message.register(private, F.chat.type == "private")
    r.message.register(group_command, F.text.startswith("/"))
    return r
