"""The multiplier answers a seeker by replying to a relayed message (Telegram's own reply:
no extra step to learn); the seeker gets it from the team's bot. "Share my contact" reveals
the multiplier's @username, only if they press it."""

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.conversations import Kind
from domain.errors import DomainError
from domain.members import Member
from services import relay
from services.options import Options
from storage.uow import UnitOfWork
from views import conversation_texts as ct
from views import labels, relay_media
from views.callbacks import ShareContact
from views.filters import InPrivate


class RelayReply(BaseFilter):
    """A reply to a message the bot relayed from a seeker; gives the handler its id."""

    async def __call__(self, message: Message, uow: UnitOfWork) -> bool | dict:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        conversation_id = await relay.linked(uow, message.chat.id, replied.message_id)
        return {"conversation_id": conversation_id} if conversation_id else False


async def reply(message: Message, conversation_id: int, member: Member, uow: UnitOfWork,
                clock: Clock, bot: Bot, settings: Options) -> None:
    try:
        conv, _contact = await relay.target(uow, member, conversation_id)
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    piece = relay_media.read(message)
    if piece is None:
        await message.answer(ct.unsupported())
        return
    limit = ct.CAPTION_LIMIT if piece.kind is not Kind.TEXT else 4000
    if piece.text and len(piece.text) > limit:
        await message.answer(ct.too_long(limit))
        return
    await relay.record_out(uow, member, conv, piece.kind, piece.text, piece.file_id,
                           escape(piece.text or ""), clock.now())
    await message.answer(_("✓ On its way to {name}.").format(name=escape(conv.seeker_name)))


async def share(query: CallbackQuery, callback_data: ShareContact, member: Member,
                uow: UnitOfWork, clock: Clock, bot: Bot) -> None:
    try:
        conv, _contact = await relay.target(uow, member, callback_data.conversation_id)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    if not member.username:
        await query.answer(_("You have no Telegram username to share: set one in Telegram's settings first."), show_alert=True)
        return
    text = ct.shared_contact(member.name, member.username)
    await relay.record_out(uow, member, conv, Kind.TEXT, text, None, text, clock.now())
    await query.answer(_("Your @{username} was sent to {name}.").format(
        username=member.username, name=conv.seeker_name))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="relay")
    r.message.filter(F.chat.type == "private", F.reply_to_message)
    r.message.register(reply, RelayReply())
    r.callback_query.register(share, ShareContact.filter(), InPrivate())
    return r
