"""Anyone who is not a team member and writes to the bot in private is a seeker: greeted,
their conversation shown once in the team chat as a card, or relayed to their multiplier.
This router sits before every team router, so nothing a seeker sends reaches a team
command or button (only an invite link, `/start join-…`, passes through)."""

import logging
from datetime import datetime
from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import BaseFilter, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from domain.clock import Clock
from domain.conversations import Kind
from domain.members import Member
from handlers import fallback
from handlers.start import JOIN_PREFIX
from services import relay, seekers
from services.options import Options
from services.seekers import Inbound, Outcome, Received
from services.triage import TriageCard
from storage.uow import UnitOfWork
from views import conversation_texts as ct
from views import relay_media

log = logging.getLogger(__name__)


class Seeker(BaseFilter):
    """A stranger (or a deactivated member), except when following an invite link."""

    async def __call__(self, event: object, member: Member | None = None) -> bool:
        if member is not None:
            return False
        if isinstance(event, Message):
            return not (event.text or "").startswith(f"/start {JOIN_PREFIX}")
        return True


async def start(message: Message, settings: Options, state: FSMContext) -> None:
    await state.update_data(greeted=True)  # their first real message is not greeted again
    await message.answer(_greeting(settings))


async def incoming(message: Message, uow: UnitOfWork, clock: Clock, settings: Options,
                   bot: Bot, team_chat_id: int | None, state: FSMContext) -> None:
    piece = relay_media.read(message)
    refusal = _refusal(piece, settings)
    if refusal or piece is None or message.from_user is None:
        await message.answer(refusal or ct.unsupported())
        return
    user, now = message.from_user, clock.now()
    got = await seekers.receive(
        uow, Inbound(user.id, user.full_name, user.username, piece.kind, piece.text,
                     piece.file_id), settings.seeker_flood_per_minute, now)
    if got.outcome is Outcome.SLOW_DOWN:
        await message.answer(ct.slow_down())
    if got.outcome in (Outcome.MUTED, Outcome.DROPPED, Outcome.SLOW_DOWN):
        return
    if got.created and not (await state.get_data()).get("greeted"):
        await message.answer(_greeting(settings))
    if got.outcome is Outcome.RELAY:
        await _relay(bot, uow, got, piece.kind, piece.text, piece.file_id)
    elif got.card is not None:  # once relayed, the conversation is no longer the team's to read
        await show_card(bot, uow, got.card, team_chat_id, now, post=got.fresh)


async def show_card(bot: Bot, uow: UnitOfWork, card: TriageCard, team_chat_id: int | None,
                    now: datetime, post: bool = False) -> None:
    """Post a new request's card in the team chat, or edit the card in place."""
    location = card.conversation.card
    try:
        if post and team_chat_id is not None:
            sent = await bot.send_message(team_chat_id, ct.triage_card(card, now),
                                          reply_markup=ct.triage_keyboard(card))
            later = await seekers.remember_card(uow, card.conversation.id, team_chat_id,
                                                sent.message_id)
            if later.count != card.count:  # more arrived while posting
                await show_card(bot, uow, later, team_chat_id, now)
        elif location is not None:
            await bot.edit_message_text(text=ct.triage_card(card, now), chat_id=location[0],
                                        message_id=location[1],
                                        reply_markup=ct.triage_keyboard(card))
    except TelegramAPIError as exc:  # the team chat may be gone or throttled; data is safe
        if "not modified" not in exc.message:
            log.warning("triage card not shown", extra={"error": exc.message})


async def _relay(bot: Bot, uow: UnitOfWork, got: Received, kind: Kind, text: str | None,
                 file_id: str | None) -> None:
    assert got.relay_to is not None
    conv = got.conversation
    limit = ct.CAPTION_LIMIT if kind is not Kind.TEXT else 4000
    try:
        sent = await relay_media.deliver(
            bot, got.relay_to.tg_user_id, kind, ct.relayed(conv, conv.contact_id, text, limit),
            file_id, reply_markup=ct.share_keyboard(conv.id))
    except TelegramAPIError as exc:  # stored and counted as 'seeker replied' all the same
        log.warning("seeker message not relayed", extra={"error": exc.message})
        return
    await relay.link(uow, sent.chat.id, sent.message_id, conv.id)


def _refusal(piece: relay_media.Piece | None, settings: Options) -> str | None:
    if piece is None:
        return ct.unsupported()
    if piece.text and len(piece.text) > settings.seeker_max_text:
        return ct.too_long(settings.seeker_max_text)
    if piece.file_size and piece.file_size > settings.seeker_max_file_mb * 1024 * 1024:
        return ct.too_big(settings.seeker_max_file_mb)
    return None


def _greeting(settings: Options) -> str:
    return escape(settings.seeker_greeting) if settings.seeker_greeting else ct.greeting()


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="seekers")
    r.message.filter(F.chat.type == "private", Seeker())
    r.callback_query.filter(Seeker())
    r.message.register(start, CommandStart(deep_link=False))
    r.message.register(incoming)
    r.callback_query.register(fallback.stray_press)
    return r
