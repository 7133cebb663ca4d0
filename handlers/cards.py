"""Dispatcher buttons on team cards: offer, pick another multiplier, hold, resume, close, withdraw."""

import logging
from datetime import datetime, timedelta

from aiogram import Bot, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.offers import OfferStatus
from domain.roles import DISPATCH_ROLES
from services import areas, dispatch, matching
from services.cards import CardView
from services.options import Options
from storage.uow import UnitOfWork
from views import keyboards, labels, texts
from views.callbacks import CardAction, CloseAs, MapArea, OfferDays, OfferFor, OfferTo, Withdraw
from views.filters import HasRole
from views.offers import offer_message
from views.replies import edit_pressed, reply_to_press
from views.language import for_reader

log = logging.getLogger(__name__)


async def offer(query: CallbackQuery, callback_data: OfferTo | OfferFor, member: Member,
                uow: UnitOfWork, clock: Clock, bot: Bot, settings: Options) -> None:
    """The card's offer (the team's default days) or *Offer…*'s (the days chosen)."""
    now = clock.now()
    chosen = callback_data.days if isinstance(callback_data, OfferFor) else 0
    try:
        made = await dispatch.make_offer(
            uow, member, callback_data.contact_id, callback_data.member_id, now,
            settings.offer_days, timedelta(hours=settings.offer_ttl_hours),
            for_reader(offer_message), chosen_days=chosen)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Offered to {name}.").format(name=made.multiplier.name))


async def withdraw(query: CallbackQuery, callback_data: Withdraw, member: Member, uow: UnitOfWork,
                   clock: Clock, bot: Bot) -> None:
    try:
        await dispatch.withdraw_offer(uow, member, callback_data.offer_id, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Offer withdrawn."))


async def card_action(query: CallbackQuery, callback_data: CardAction, member: Member,
                      uow: UnitOfWork, clock: Clock, bot: Bot) -> None:
    contact_id, now = callback_data.contact_id, clock.now()
    try:
        if callback_data.action == "hold":
            view = await dispatch.hold(uow, member, contact_id, now)
        elif callback_data.action == "resume":
            view = await dispatch.resume(uow, member, contact_id, now)
        elif callback_data.action == "why":
            await _explain(query, member, uow, contact_id, now)
            return
        elif callback_data.action in ("other", "close", "back", "days"):
            view = await dispatch.card(uow, member, contact_id, now)
        else:
            await query.answer(_("This button is out of date or invalid."), show_alert=True)
            return
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    if callback_data.action == "other":
        await _show_others(query, uow, view, now)
    elif callback_data.action == "close":
        await edit_pressed(query, reply_markup=keyboards.close(contact_id))
    elif callback_data.action == "days":
        await edit_pressed(query, reply_markup=keyboards.offer_days(contact_id))
    elif callback_data.action == "back":
        await edit_pressed(query, texts.card(view, now), reply_markup=keyboards.card(view))


async def offer_days(query: CallbackQuery, callback_data: OfferDays, member: Member,
                     uow: UnitOfWork, clock: Clock, bot: Bot) -> None:
    """*Offer…* with the days chosen: every multiplier, each button offering for those days."""
    try:
        view, candidates = await dispatch.offer_choices(
            uow, member, callback_data.contact_id, callback_data.days, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    declined = {o.multiplier_id for o in view.offers if o.status is OfferStatus.DECLINED}
    await edit_pressed(query, reply_markup=keyboards.other(
        view.contact.id, candidates, declined, view.reassigned, days=callback_data.days))


async def close(query: CallbackQuery, callback_data: CloseAs, member: Member, uow: UnitOfWork,
                clock: Clock, bot: Bot) -> None:
    try:
        await dispatch.close(uow, member, callback_data.contact_id, callback_data.reason, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Closed."))


async def _show_others(query: CallbackQuery, uow: UnitOfWork, view: CardView,
                       now: datetime) -> None:
    candidates = await dispatch.all_multipliers(uow, now)
    declined = {o.multiplier_id for o in view.offers if o.status is OfferStatus.DECLINED}
    await edit_pressed(query, reply_markup=keyboards.other(view.contact.id, candidates, declined,
                                                           view.reassigned))


async def _explain(query: CallbackQuery, member: Member, uow: UnitOfWork, contact_id: int,
                   now: datetime) -> None:
    """Every multiplier and why they are or are not suggested, as a reply under the card."""
    explanation = await matching.explain_contact(uow, member, contact_id, now)
    await query.answer()
    await reply_to_press(query, texts.explanation(explanation, now))


async def map_area(query: CallbackQuery, callback_data: MapArea, member: Member, uow: UnitOfWork,
                   clock: Clock, bot: Bot) -> None:
    try:
        view = await areas.map_contact(uow, member, callback_data.contact_id, None,
                                       callback_data.tag, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Mapped to {area}.").format(area=view.areas.name(view.contact.area_key or "")))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="cards")
    r.callback_query.filter(HasRole(*DISPATCH_ROLES))
    r.callback_query.register(offer, OfferTo.filter())
    r.callback_query.register(offer, OfferFor.filter())
    r.callback_query.register(offer_days, OfferDays.filter())
    r.callback_query.register(withdraw, Withdraw.filter())
    r.callback_query.register(card_action, CardAction.filter())
    r.callback_query.register(close, CloseAs.filter())
    r.callback_query.register(map_area, MapArea.filter())
    return r
