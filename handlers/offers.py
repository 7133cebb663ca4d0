"""A multiplier answers an offer in their private chat: Yes reveals the details, No asks why."""

from collections.abc import Callable

from aiogram import Bot, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from domain.clock import Clock
from domain.errors import AlreadyDone, DomainError, NoLongerAvailable, NotFound, OfferExpired
from domain.members import Member
from domain.roles import Role
from handlers import keyboards, labels, relay, texts
from handlers.callbacks import Answer, Why
from handlers.filters import HasRole, InPrivate
from handlers.posting import edit_pressed, refresh_card
from scheduler.sender import OutboxSender
from services import answers, notify
from storage.uow import UnitOfWork


async def answer(query: CallbackQuery, callback_data: Answer, member: Member, uow: UnitOfWork,
                 clock: Clock, bot: Bot, settings: Settings, sender: OutboxSender,
                 autodispatch: Callable[[], None]) -> None:
    action = answers.accept if callback_data.yes else answers.decline
    try:
        done = await action(uow, member, callback_data.offer_id, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        if isinstance(exc, OfferExpired):
            await refresh_card(bot, exc.card, clock.now())  # type: ignore[arg-type]
        if isinstance(exc, (NoLongerAvailable, NotFound)) and not isinstance(exc, AlreadyDone):
            await _drop_buttons(query)  # a double tap keeps the winner's buttons
        return
    if callback_data.yes:
        await query.answer(_("Thank you! The details are below."))
        await edit_pressed(query, 
            texts.details(done.contact, done.offer, member.timezone or settings.team_timezone),
            reply_markup=keyboards.stages(done.contact.id, done.contact.status))
        await relay.introduce(bot, uow, done.contact.id, member, clock.now())
    else:
        await query.answer(_("Thanks for the quick answer."))
        await edit_pressed(query, _("You declined. What was the reason?"),
                                      reply_markup=keyboards.why(done.offer.id))
        await notify.ping_dispatchers(uow, texts.declined_notice(done.contact, member.name),
                                      clock.now(), settings.quiet())
        sender.wake()
    await refresh_card(bot, done.card, clock.now())
    if not callback_data.yes:
        autodispatch()  # if auto-dispatch owns the contact, the next offer goes out now


async def why(query: CallbackQuery, callback_data: Why, member: Member, uow: UnitOfWork,
              clock: Clock, bot: Bot) -> None:
    try:
        done = await answers.give_reason(uow, member, callback_data.offer_id, callback_data.reason,
                                         clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, _("You declined ({reason}). Thank you!").format(
        reason=labels.decline_reason(callback_data.reason)))
    await refresh_card(bot, done.card, clock.now())


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
    return r
