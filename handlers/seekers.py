"""Anyone who is not a team member and writes to the bot in private is a seeker: greeted,
their conversation shown once in the team chat as a card, or relayed to their multiplier.
This router sits before every team router, so nothing a seeker sends reaches a team
command or button (only an invite link, `/start join-…`, passes through)."""

import logging
from html import escape

from aiogram import F, Router
from aiogram.filters import BaseFilter, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import get_i18n

from domain.clock import Clock
from domain.members import Member
from domain.errors import DomainError
from services import satisfaction, seekers
from services.options import Options
from services.seekers import Inbound, Outcome
from storage.uow import UnitOfWork
from views import conversation_texts as ct
from views import relay_media
from views import labels
from views.callbacks import JOIN_PREFIX, Satisfied
from views.language import for_reader
from views.replies import edit_pressed, stray_press

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
                   state: FSMContext) -> None:
    got = await _receive(message, uow, clock, settings, edited=False)
    if got is not None and got.created and not (await state.get_data()).get("greeted"):
        await message.answer(_greeting(settings))


async def edited(message: Message, uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    """The seeker changed a message they had sent: stored as a message of its own, and
    whoever holds the conversation gets it as an edit ("✏️ edited: …")."""
    await _receive(message, uow, clock, settings, edited=True)


async def _receive(message: Message, uow: UnitOfWork, clock: Clock, settings: Options,
                   edited: bool) -> seekers.Received | None:
    """None if it was refused (and the seeker told why) or dropped."""
    piece = relay_media.read(message)
    refusal = _refusal(piece, settings)
    if refusal or piece is None or message.from_user is None:
        await message.answer(refusal or ct.unsupported())
        return None
    user, now = message.from_user, clock.now()
    got = await seekers.receive(
        uow, Inbound(user.id, user.full_name, user.username, piece.kind, piece.text,
                     piece.file_id, user.first_name, user.last_name, user.language_code,
                     edited=edited),
        settings.seeker_flood_per_minute, now)
    if got.outcome is Outcome.SLOW_DOWN:
        await message.answer(ct.slow_down())
    if got.outcome in (Outcome.MUTED, Outcome.DROPPED, Outcome.SLOW_DOWN):
        return None
    return got


async def satisfied(query: CallbackQuery, callback_data: Satisfied, uow: UnitOfWork,
                    clock: Clock) -> None:
    """The seeker answers the satisfaction check (services.satisfaction)."""
    try:
        await satisfaction.answer(uow, query.from_user.id, callback_data.conversation_id,
                                  callback_data.helped, clock.now(),
                                  for_reader(ct.unsatisfied_note))
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, ct.satisfaction_thanks(callback_data.helped))


def _refusal(piece: relay_media.Piece | None, settings: Options) -> str | None:
    if piece is None:
        return ct.unsupported()
    if piece.text and len(piece.text) > settings.seeker_max_text:
        return ct.too_long(settings.seeker_max_text)
    if piece.file_size and piece.file_size > settings.seeker_max_file_mb * 1024 * 1024:
        return ct.too_big(settings.seeker_max_file_mb)
    return None


def _greeting(settings: Options) -> str:
    """In the language the seeker reads (the i18n middleware chose it)."""
    custom = settings.seeker_greeting_in(get_i18n().current_locale)
    return escape(custom) if custom else ct.greeting()


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="seekers")
    r.message.filter(F.chat.type == "private", Seeker())
    r.callback_query.filter(Seeker())
    r.message.register(start, CommandStart(deep_link=False))
    r.message.register(incoming)
    r.edited_message.filter(F.chat.type == "private", Seeker())
    r.edited_message.register(edited)
    r.callback_query.register(satisfied, Satisfied.filter())
    r.callback_query.register(stray_press)
    return r
