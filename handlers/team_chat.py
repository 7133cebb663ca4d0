"""Binding the dispatchers' group as the team chat, where contact cards appear."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.members import Member
from domain.roles import Role
from services import team
from storage.uow import UnitOfWork
from views.filters import HasRole


async def bind(message: Message, member: Member, uow: UnitOfWork, clock: Clock) -> None:
    await team.bind_team_chat(uow, member, message.chat.id, clock.now())
    await message.answer(_("This group is now the team chat: new contacts will appear here."))


async def bind_refused(message: Message) -> None:
    await message.answer(_("Only an admin can bind the team chat."))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="team_chat")
    r.message.filter(F.chat.type.in_({"group", "supergroup"}))
    r.message.register(bind, Command("bind"), HasRole(Role.ADMIN))
    r.message.register(bind_refused, Command("bind"))
    return r
