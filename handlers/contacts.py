"""A contact's own screen (`/c 12`, a tap in a list, *Open*), `/contacts` with its pages, and
*Show card* for a card a burst held back. What the screen may show is the use case's call
(services.contact_screen): full details only in a private chat, to those allowed."""

from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.members import Member
from domain.numbers import parse_id
from domain.roles import DISPATCH_ROLES, Role
from services import contact_lists, contact_screen
from services.contact_lists import Listing
from services.options import Options
from storage.uow import UnitOfWork
from views import keyboards, labels, screen_texts
from views.callbacks import BurstList, ContactOpen, ContactPage, ShowCard
from views.filters import HasRole
from views.replies import edit_pressed, reply_to_press


def _private(chat_type: str | None) -> bool:
    return chat_type == "private"


async def render_screen(uow: UnitOfWork, member: Member | None, contact_id: int,
                        in_private: bool, settings: Options,
                        now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    """The screen's text and buttons; DomainError if the viewer may not read it here. Times
    in the reader's zone: the member's own in private, the team's in the team chat."""
    screen = await contact_screen.open_screen(uow, member, contact_id, in_private, now)
    zone = screen_texts.reader_zone(member, in_private, settings.team_timezone)
    return screen_texts.screen(screen, zone, now), keyboards.contact_screen(screen)


async def by_number(message: Message, command: CommandObject, member: Member,
                    uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    try:
        contact_id = parse_id((command.args or "").strip().lstrip("#"))
    except InvalidInput:
        await message.answer(_("Send: /c 12 (the contact's number)."))
        return
    try:
        text, markup = await render_screen(uow, member, contact_id,
                                           _private(message.chat.type), settings, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(text, reply_markup=markup)


async def opened(query: CallbackQuery, callback_data: ContactOpen, member: Member,
                 uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    in_private = _private(query.message.chat.type if query.message else None)
    try:
        text, markup = await render_screen(uow, member, callback_data.contact_id, in_private,
                                           settings, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await reply_to_press(query, text, reply_markup=markup)


async def search(message: Message, command: CommandObject, member: Member,
                 uow: UnitOfWork) -> None:
    try:
        page = await contact_lists.search(uow, member, command.args or "")
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(screen_texts.listing(page, _private(message.chat.type)),
                         reply_markup=keyboards.contact_list(page))


def _list_message(query: CallbackQuery, page: Listing) -> tuple[str, InlineKeyboardMarkup | None]:
    in_private = _private(query.message.chat.type if query.message else None)
    return screen_texts.listing(page, in_private), keyboards.contact_list(page)


async def paged(query: CallbackQuery, callback_data: ContactPage, member: Member,
                uow: UnitOfWork) -> None:
    """Another page, drawn over the list."""
    try:
        page = await contact_lists.page(uow, member, callback_data.code, callback_data.page)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    text, markup = _list_message(query, page)
    await edit_pressed(query, text, reply_markup=markup)


async def burst_list(query: CallbackQuery, callback_data: BurstList, member: Member,
                     uow: UnitOfWork) -> None:
    """A burst summary's list, under the summary (which stays for everyone)."""
    try:
        page = await contact_lists.batch_list(uow, member, callback_data.batch_id)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    text, markup = _list_message(query, page)
    await reply_to_press(query, text, reply_markup=markup)


async def show_card(query: CallbackQuery, callback_data: ShowCard, member: Member,
                    uow: UnitOfWork, clock: Clock) -> None:
    try:
        posted = await contact_screen.post_card(uow, member, callback_data.contact_id,
                                                clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("The card goes to the team chat now.") if posted
                       else _("Its card is in the team chat already."))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="contacts")
    r.message.register(by_number, Command("c"), HasRole(*Role))
    r.message.register(search, Command("contacts"), HasRole(*DISPATCH_ROLES))
    r.callback_query.register(opened, ContactOpen.filter(), HasRole(*Role))
    r.callback_query.register(paged, ContactPage.filter(), HasRole(*DISPATCH_ROLES))
    r.callback_query.register(burst_list, BurstList.filter(), HasRole(*DISPATCH_ROLES))
    r.callback_query.register(show_card, ShowCard.filter(), HasRole(*DISPATCH_ROLES))
    return r
