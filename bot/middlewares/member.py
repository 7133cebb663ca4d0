"""Who is asking: `member` (None for strangers and deactivated people) and `team_chat_id`."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

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
        member = await uow.members.by_tg_user(user.id) if user else None
        data["member"] = member if member and member.active else None
        data["team_chat_id"] = await uow.settings.team_chat_id()
        await uow.commit()  # end the read transaction before the handler talks to Telegram
        return await handler(event, data)
