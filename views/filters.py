"""Router-level filters: roles and the bound team chat."""

from typing import Any

from aiogram import F
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message

from domain.members import Member
from domain.roles import Role

#: Dialog steps take text, but a command typed mid-dialog runs as a command, not an answer.
NOT_A_COMMAND = F.text & ~F.text.startswith("/")


class HasRole(BaseFilter):
    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    async def __call__(self, event: Any, member: Member | None = None) -> bool:
        return member is not None and member.has(*self.roles)


class InPrivate(BaseFilter):
    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return message is not None and message.chat.type == "private"


class PrivateOrTeamChat(BaseFilter):
    """Groups other than the bound team chat get nothing but /bind and a polite refusal."""

    async def __call__(self, event: Message | CallbackQuery, team_chat_id: int | None) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        if message is None:
            return False
        return message.chat.type == "private" or message.chat.id == team_chat_id
