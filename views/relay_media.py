"""What can travel between a seeker and a multiplier (text, photo, voice, document), read
from an incoming message and sent on by file_id: the bot never downloads the files."""

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, Message

from domain.conversations import Kind


@dataclass(frozen=True)
class Piece:
    kind: Kind
    text: str | None  # the text, or the media's caption
    file_id: str | None
    file_size: int | None


def read(message: Message) -> Piece | None:
    """None for anything else (stickers, videos, locations…)."""
    if message.text is not None:
        return Piece(Kind.TEXT, message.text, None, None)
    if message.photo:
        largest = message.photo[-1]
        return Piece(Kind.PHOTO, message.caption, largest.file_id, largest.file_size)
    if message.voice:
        return Piece(Kind.VOICE, message.caption, message.voice.file_id, message.voice.file_size)
    if message.document:
        doc = message.document
        return Piece(Kind.DOCUMENT, message.caption, doc.file_id, doc.file_size)
    return None


async def deliver(bot: Bot, chat_id: int, kind: Kind, html: str, file_id: str | None,
                  reply_markup: InlineKeyboardMarkup | None = None) -> Message:
    """`html` is the text (or caption) already escaped; media go by file_id."""
    caption = html or None
    if kind is Kind.PHOTO:
        return await bot.send_photo(chat_id, file_id or "", caption=caption,
                                    reply_markup=reply_markup)
    if kind is Kind.VOICE:
        return await bot.send_voice(chat_id, file_id or "", caption=caption,
                                    reply_markup=reply_markup)
    if kind is Kind.DOCUMENT:
        return await bot.send_document(chat_id, file_id or "", caption=caption,
                                       reply_markup=reply_markup)
    return await bot.send_message(chat_id, html, reply_markup=reply_markup)
