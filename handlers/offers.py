"""A multiplier answers an offer in their private chat: Yes reveals the details, No asks why."""


from datetime import datetime, timedelta

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.contacts import Contact
from domain.errors import AlreadyDone, DomainError, NoLongerAvailable, NotFound
from domain.members import Member
from domain.offers import Offer
from domain.roles import Role
from services import answers, pool, relay
from services.options import Options
from services.relay import ComposeHandoff, Intro
from storage.uow import UnitOfWork
from views import conversation_texts as ct
from views import keyboards, labels, pool_texts, relay_media, texts
from views.callbacks import Answer, PoolTake, Why
from views.filters import HasRole, InPrivate
from views.language import for_reader
from views.replies import edit_pressed


async def answer(query: CallbackQuery, callback_data: Answer, member: Member, uow: UnitOfWork,
                 clock: Clock, bot: Bot, settings: Options) -> None:
    try:
        if callback_data.yes:
            done = await answers.accept(uow, member, callback_data.offer_id, clock.now())
        else:
            done = await answers.decline(uow, member, callback_data.offer_id, clock.now(),
                                         settings.quiet())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        if isinstance(exc, (NoLongerAvailable, NotFound)) and not isinstance(exc, AlreadyDone):
            await _drop_buttons(query)  # a double tap keeps the winner's buttons
        return
    if callback_data.yes:
        await _holding(query, done.contact, done.offer, member, uow, clock, bot, settings)
    else:
        await query.answer(_("Thanks for the quick answer."))
        await edit_pressed(query, _("You declined. What was the reason?"),
                           reply_markup=keyboards.why(done.offer.id))


async def pool_answer(query: CallbackQuery, callback_data: PoolTake, member: Member,
                      uow: UnitOfWork, clock: Clock, bot: Bot, settings: Options) -> None:
    """Take on an open-pool invitation: the first wins and sees the details, like after Yes;
    Not me closes this invitation only. A late, second or stale press changes nothing."""
    ttl = timedelta(hours=settings.offer_ttl_hours)
    try:
        if not callback_data.take:
            passed = await pool.pass_on(uow, member, callback_data.invitation_id, clock.now())
        else:
            taken = await pool.take(uow, member, callback_data.invitation_id, clock.now(), ttl)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        if isinstance(exc, (NoLongerAvailable, NotFound)) and not isinstance(exc, AlreadyDone):
            await _drop_buttons(query)
        return
    if not callback_data.take:
        await query.answer(_("Thanks for the quick answer."))
        await edit_pressed(query, pool_texts.passed(passed.contact))
        return
    await _holding(query, taken.contact, taken.offer, member, uow, clock, bot, settings)


async def _holding(query: CallbackQuery, contact: Contact, offer: Offer, member: Member,
                   uow: UnitOfWork, clock: Clock, bot: Bot, settings: Options) -> None:
    """After a Yes or a won Take: the details and stage buttons, then the conversation."""
    await query.answer(_("Thank you! The details are below."))
    await edit_pressed(query,
        texts.details(contact, offer, member.timezone or settings.team_timezone),
        reply_markup=keyboards.stages(contact.id, contact.status))
    handoff = for_reader(ct.handoff) if settings.seeker_handoff_notice else None
    await _introduce(bot, uow, contact.id, member, clock.now(), handoff)


async def why(query: CallbackQuery, callback_data: Why, member: Member, uow: UnitOfWork,
              clock: Clock, bot: Bot) -> None:
    try:
        await answers.give_reason(uow, member, callback_data.offer_id, callback_data.reason,
                                  clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, _("You declined ({reason}). Thank you!").format(
        reason=labels.decline_reason(callback_data.reason)))


async def _introduce(bot: Bot, uow: UnitOfWork, contact_id: int, member: Member,
                     now: datetime, handoff: ComposeHandoff | None) -> None:
    """After Yes: the conversation so far, as a message the multiplier can reply to; the
    seeker hears who will contact them (unless the team turned that off)."""
    intro: Intro | None = await relay.introduce(uow, contact_id, member, now, handoff)
    if intro is None:
        return
    conv, sent = intro.conversation, []
    try:
        sent.append(await bot.send_message(member.tg_user_id,
                                           ct.intro(conv, contact_id, intro.messages),
                                           reply_markup=ct.share_keyboard(conv.id)))
        for m in intro.messages:  # the media themselves, so nothing is lost
            if m.file_id:
                sent.append(await relay_media.deliver(
                    bot, member.tg_user_id, m.kind,
                    ct.relayed(conv, contact_id, m.text, ct.CAPTION_LIMIT), m.file_id))
    except TelegramAPIError:
        pass  # what did go out can still be answered
    for message in sent:
        await relay.link(uow, message.chat.id, message.message_id, conv.id)


async def _drop_buttons(query: CallbackQuery) -> None:
    """A stale offer's buttons go away so they are not pressed again."""
    if query.message is not None and query.message.chat.type == "private":
        await edit_pressed(query, reply_markup=None)


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="offers")
    r.callback_query.filter(HasRole(Role.MULTIPLIER), InPrivate())
    r.callback_query.register(answer, Answer.filter())
    r.callback_query.register(why, Why.filter())
    r.callback_query.register(pool_answer, PoolTake.filter())
    return r
