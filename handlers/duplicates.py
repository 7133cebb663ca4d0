"""Dispatcher buttons for possible duplicates (merge, not a duplicate, undo) and /duplicates."""

from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.merge import Prefer
from domain.roles import DISPATCH_ROLES
from services import duplicates, merge
from services.cards import CardView
from services.options import Options
from storage.uow import UnitOfWork
from views import duplicate_texts, keyboards, labels, texts
from views.callbacks import Dup, DupMerge, UndoMerge
from views.filters import HasRole
from views.replies import edit_pressed
from views.language import for_reader


async def pressed(query: CallbackQuery, callback_data: Dup, member: Member, uow: UnitOfWork,
                  clock: Clock, bot: Bot, settings: Options) -> None:
    now, data = clock.now(), callback_data
    try:
        if data.action == "dismiss":
            view = await duplicates.dismiss(uow, member, data.suspect_id, data.contact_id, now)
            await query.answer(_("Noted: not a duplicate."))
            await _show(query, now, view)
            return
        if data.action != "merge":
            await query.answer(_("This button is out of date or invalid."), show_alert=True)
            return
        preview = await merge.preview(uow, member, data.suspect_id, data.contact_id, now)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    if preview.needs_choice:
        await query.answer(_("Choose how to merge #{merged} into #{keeper}.").format(
            merged=preview.merged.id, keeper=preview.keeper.id))
        await edit_pressed(query, reply_markup=keyboards.merge_choices(
            data.contact_id, data.suspect_id, preview.keeper.id, preview.holders))
        return
    await _merge(query, DupMerge(suspect_id=data.suspect_id, contact_id=data.contact_id,
                                 prefer=Prefer.NEWEST), member, uow, clock, settings)


async def chosen(query: CallbackQuery, callback_data: DupMerge, member: Member, uow: UnitOfWork,
                 clock: Clock, bot: Bot, settings: Options) -> None:
    if callback_data.prefer not in Prefer._value2member_map_:
        await query.answer(_("This button is out of date or invalid."), show_alert=True)
        return
    await _merge(query, callback_data, member, uow, clock, settings)


async def _merge(query: CallbackQuery, data: DupMerge, member: Member, uow: UnitOfWork,
                 clock: Clock, settings: Options) -> None:
    now = clock.now()
    try:
        done = await merge.merge(uow, member, data.suspect_id, data.contact_id, now,
                                 for_reader(duplicate_texts.merge_notice), settings.quiet(),
                                 prefer=Prefer(data.prefer), keep_with=data.keep_with or None)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Merged #{merged} into #{keeper}.").format(
        merged=done.merged.contact.id, keeper=done.keeper.contact.id))
    keeper_pressed = data.contact_id == done.keeper.contact.id
    first = done.keeper if keeper_pressed else done.merged
    await _show(query, now, first)


async def undo(query: CallbackQuery, callback_data: UndoMerge, member: Member, uow: UnitOfWork,
               clock: Clock, bot: Bot) -> None:
    now = clock.now()
    try:
        done = await merge.undo(uow, member, callback_data.merge_id, now)
    except DomainError as exc:
        changed = exc.detail == "changed_since_merge"
        await query.answer(duplicate_texts.undo_refused() if changed else labels.error(exc),
                           show_alert=True)
        return
    await query.answer(_("Merge undone: #{a} and #{b} are separate again.").format(
        a=done.keeper.contact.id, b=done.merged.contact.id))
    await _show(query, now, done.merged)


async def _show(query: CallbackQuery, now: datetime, pressed_view: CardView) -> None:
    """A copy of the card (e.g. opened from /duplicates) is redrawn where it was pressed; the
    team cards themselves were queued for redrawing by the change."""
    message = query.message
    if message is not None and pressed_view.location != (message.chat.id, message.message_id):
        await edit_pressed(query, text=texts.card(pressed_view, now),
                           reply_markup=keyboards.card(pressed_view))


async def pending(message: Message, member: Member, uow: UnitOfWork) -> None:
    items = await duplicates.pending(uow, member)
    ids = list(dict.fromkeys(i for s, _new, _old in items for i in (s.contact_id, s.other_id)))
    await message.answer(texts.fit(duplicate_texts.pending_list(items)),
                         reply_markup=keyboards.open_cards(ids[:40]))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="duplicates")
    r.message.filter(HasRole(*DISPATCH_ROLES))
    r.callback_query.filter(HasRole(*DISPATCH_ROLES))
    r.callback_query.register(pressed, Dup.filter())
    r.callback_query.register(chosen, DupMerge.filter())
    r.callback_query.register(undo, UndoMerge.filter())
    r.message.register(pending, Command("duplicates"))
    return r
