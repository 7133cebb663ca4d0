"""Putting cards and offers in front of people, and keeping them current by editing in place."""

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

from handlers import keyboards, texts
from services.cards import CardView

log = logging.getLogger(__name__)


async def refresh_card(bot: Bot, view: CardView, now: datetime) -> None:
    """Edit the team card; a card that is gone or unchanged is not an error for the presser."""
    if view.location is None:
        return
    chat_id, message_id = view.location
    try:
        await bot.edit_message_text(
            text=texts.card(view, now),
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=keyboards.card(view),
        )
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            log.warning("card not refreshed", extra={"contact_id": view.contact.id, "error": exc.message})


async def post_card(bot: Bot, chat_id: int, view: CardView, now: datetime) -> int:
    message = await bot.send_message(chat_id, texts.card(view, now), reply_markup=keyboards.card(view))
    return message.message_id
