"""Binding the dispatchers' group as the team chat, where contact cards appear."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.members import Member
from domain.roles import Role
from handlers.filters import HasRole
from services import team
from storage.uow import UnitOfWork

router = Router(name="team_chat")
router.message.filter(F.chat.type.in_({"group", "supergroup"}))


@router.message(Command("bind"), HasRole(Role.ADMIN))
async def bind(message: Message, member: Member, uow: UnitOfWork, clock: Clock) -> None:
    await team.bind_team_chat(uow, member, message.chat.id, clock.now())
    await message.answer(_("This group is now the team chat: new contacts will appear here."))


@router.message(Command("bind"))
async def bind_refused(message: Message) -> None:
    await message.answer(_("Only an admin can bind the team chat."))
