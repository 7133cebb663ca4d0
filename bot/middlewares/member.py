"""Who is asking: `member` (None for strangers and deactivated people), `team_chat_id`, and
`locale`, the language the answer is read in (domain.locales; bot.middlewares.locale)."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User

from domain.members import Member
from services import languages
from storage.uow import UnitOfWork


class MemberMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        uow: UnitOfWork = data["uow"]
        user: User | None = data.get("event_from_user")
        # Lookups by key, mostly answered from what storage.team_stamp keeps: inline. Ended
        # before the handler talks to Telegram.
        async with uow.reading(inline=True):
            member = await uow.members.by_tg_user(user.id) if user else None
            member = member if member and member.active else None
            data["member"] = member
            data["team_chat_id"] = await uow.settings.team_chat_id()
            data["locale"] = await _reader(uow, event, data.get("event_chat"), user, member)
        if member is not None and user is not None:
            await languages.note_telegram_language(uow, member, user.language_code)
        return await handler(event, data)


async def _reader(uow: UnitOfWork, event: TelegramObject, chat: Chat | None,
                  user: User | None, member: Member | None) -> str:
    """A message in a group is read by the group: the team's language. A button's answer is
    seen by the presser only: theirs, as is everything in a private chat."""
    pressed = isinstance(event, Update) and event.callback_query is not None
    if user is None or (chat is not None and chat.type != "private" and not pressed):
        return await languages.of_team(uow)
    if member is not None:
        return await languages.of_member(uow, member)
    return await languages.of_seeker(uow, user.id, user.language_code)
