"""Putting cards and offers in front of people, and keeping them current by editing in place."""

import asyncio
import logging
import weakref
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.contacts import Contact
from domain.offers import Offer
from handlers import keyboards, texts
from services import intake
from services.cards import CardView, build_card
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


_card_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()


def card_lock(contact_id: int) -> asyncio.Lock:
    """One editor of a card at a time in this process, so that of two edits racing (e.g. the
    sender posting a queued card while a job offers the contact) the later one wins with the
    later state instead of the two interleaving."""
    lock = _card_locks.get(contact_id)
    if lock is None:
        lock = _card_locks[contact_id] = asyncio.Lock()
    return lock


async def refresh_card(bot: Bot, view: CardView, now: datetime) -> None:
    """Edit the team card; a card that is gone or unchanged is not an error for the presser."""
    async with card_lock(view.contact.id):
        await _edit_card(bot, view, now)


async def redraw_card(bot: Bot, session_factory: async_sessionmaker, contact_id: int,
                      now: datetime) -> None:
    """Edit the card from the state as it is committed now, read under the card's lock: for
    work done outside any update (a job), where the card may have been posted meanwhile."""
    async with card_lock(contact_id):
        async with UnitOfWork(session_factory) as uow:
            view = await build_card(uow, contact_id, now)
            await uow.commit()
        await _edit_card(bot, view, now)


async def _edit_card(bot: Bot, view: CardView, now: datetime) -> None:
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
    except TelegramAPIError as exc:  # the group may be gone or throttled; the data is safe
        if "not modified" not in exc.message:
            log.warning("card not refreshed", extra={"contact_id": view.contact.id, "error": exc.message})


async def post_card(bot: Bot, chat_id: int, view: CardView, now: datetime) -> int | None:
    """None if the team chat could not take it (the contact is saved and in /queue)."""
    try:
        message = await bot.send_message(chat_id, texts.card(view, now),
                                         reply_markup=keyboards.card(view))
    except TelegramAPIError as exc:
        log.warning("card not posted", extra={"contact_id": view.contact.id, "error": exc.message})
        return None
    return message.message_id


async def publish_card(bot: Bot, uow: UnitOfWork, team_chat_id: int | None, view: CardView,
                       now: datetime) -> bool:
    """A new contact's card in the team chat, remembered so every later step edits it.
    False if there is no team chat or it could not take the card (the contact is in /queue)."""
    if team_chat_id is None:
        return False
    message_id = await post_card(bot, team_chat_id, view, now)
    if message_id is None:
        return False
    await intake.remember_card(uow, view.contact.id, team_chat_id, message_id)
    return True


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


def offer_message(offer: Offer, contact: Contact) -> tuple[str, str]:
    """The multiplier's question and its Yes / No, queued with the offer (services.dispatch)."""
    return texts.offer_question(contact, offer.days), keyboards.offer(offer.id).model_dump_json()
