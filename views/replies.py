"""The direct answer to the person who pressed a button: edit what they pressed, or reply
under it. The only messages that go out at once rather than through the outbox."""

import logging
from collections.abc import Awaitable

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from views.callbacks import is_well_formed

log = logging.getLogger(__name__)


async def edit_pressed(query: CallbackQuery, text: str | None = None,
                       reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message whose button was pressed. Works for old (inaccessible) messages too,
    and an edit that changes nothing, or a message that is gone, is not the presser's problem."""
    message, bot = query.message, query.bot
    if message is None or bot is None:
        return
    try:
        if text is None:
            await bot.edit_message_reply_markup(chat_id=message.chat.id,
                                                message_id=message.message_id,
                                                reply_markup=reply_markup)
        else:
            await bot.edit_message_text(text=text, chat_id=message.chat.id,
                                        message_id=message.message_id, reply_markup=reply_markup)
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            log.warning("pressed message not edited", extra={"error": exc.message})


async def reply_to_press(query: CallbackQuery, text: str,
                         reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """A new message where the button was pressed (the presser's private chat if unknown)."""
    assert query.bot is not None
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await query.bot.send_message(chat_id, text, reply_markup=reply_markup)


async def send_part(message: Message, part: Awaitable[object], failed: str) -> bool:
    """One part of a longer answer (a chart, a file): if the Bot API refuses it, the person
    reads `failed` and the rest of the answer still goes out."""
    try:
        await part
    except TelegramAPIError as exc:
        log.warning("part of an answer not sent", extra={"chat_id": message.chat.id,
                                                         "error": exc.message})
        try:
            await message.answer(failed)
        except TelegramAPIError:
            pass
        return False
    return True


async def stray_press(query: CallbackQuery) -> None:
    """A button nobody's router took: someone else's, or forged / out of date."""
    if is_well_formed(query.data):
        await query.answer(_("This button is not for you."), show_alert=True)
    else:
        await query.answer(_("This button is out of date or invalid."), show_alert=True)
