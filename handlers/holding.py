"""After Yes the dispatcher keeps control: the buttons on a held contact's card (ask for an
update, message the holder, reassign, close) and the two short dialogs they open.

The dialogs run in the dispatcher's private chat, wherever the button was pressed: a note for
the holder may name the seeker's details, and the team chat must never carry those."""

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.contacts import Contact
from domain.errors import DomainError, InvalidInput
from domain.intake import MAX_NOTES, parse_free_text
from domain.members import Member
from domain.roles import DISPATCH_ROLES
from services import holding
from services.options import Options
from storage.uow import UnitOfWork
from views import holding_texts, keyboards, labels, texts
from views.callbacks import Held, HeldClose, HeldStep
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.language import for_reader
from views.replies import edit_pressed


class HoldingForm(StatesGroup):
    ask_note = State()
    message = State()


def _ask(contact: Contact, asker: str, note: str) -> tuple[str, str]:
    """The holder's "how is it going?" with the stage buttons, in their language."""
    return (holding_texts.ask_message(contact, asker, note),
            keyboards.stages(contact.id, contact.status).model_dump_json())


def _interval(settings: Options) -> timedelta:
    """A dispatcher's ask waits for its answer as long as a reminder does."""
    return timedelta(hours=settings.nag_interval_hours)


async def ask(query: CallbackQuery, callback_data: Held, member: Member, uow: UnitOfWork,
              clock: Clock, bot: Bot, settings: Options, fsm_storage: BaseStorage) -> None:
    try:
        held = await holding.before_ask(uow, member, callback_data.contact_id,
                                        callback_data.holder_id, clock.now(), _interval(settings))
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await _open_dialog(query, bot, fsm_storage, HoldingForm.ask_note, callback_data,
                       holding_texts.ask_prompt(held.contact, held.holder.name),
                       keyboards.ask_without_note(held.contact.id, held.holder.id))


async def ask_without_note(query: CallbackQuery, callback_data: Held, member: Member,
                           uow: UnitOfWork, clock: Clock, bot: Bot, settings: Options,
                           state: FSMContext) -> None:
    if (await state.get_data()).get("contact_id") == callback_data.contact_id:
        await state.clear()
    try:
        held = await holding.ask_update(uow, member, callback_data.contact_id,
                                        callback_data.holder_id, "", clock.now(),
                                        _interval(settings), settings.quiet(), for_reader(_ask))
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, holding_texts.asked(held.contact.id, held.holder.name))


async def ask_with_note(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                        clock: Clock, settings: Options) -> None:
    note = await _typed(message, state)
    if note is None:
        return
    data = await state.get_data()
    await state.clear()
    try:
        held = await holding.ask_update(uow, member, data["contact_id"], data["holder_id"], note,
                                        clock.now(), _interval(settings), settings.quiet(),
                                        for_reader(_ask))
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(holding_texts.asked(held.contact.id, held.holder.name))


async def write(query: CallbackQuery, callback_data: Held, member: Member, uow: UnitOfWork,
                bot: Bot, fsm_storage: BaseStorage) -> None:
    try:
        held = await holding.holding(uow, member, callback_data.contact_id,
                                     callback_data.holder_id)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await _open_dialog(query, bot, fsm_storage, HoldingForm.message, callback_data,
                       holding_texts.message_prompt(held.contact, held.holder.name))


async def message_typed(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                        clock: Clock, settings: Options) -> None:
    text = await _typed(message, state)
    if not text:
        if text is not None:
            await message.answer(_("Please write a few words, or /cancel."))
        return
    data = await state.get_data()
    await state.clear()
    try:
        held = await holding.message_holder(uow, member, data["contact_id"], data["holder_id"],
                                            text, clock.now(), settings.quiet(),
                                            for_reader(holding_texts.relayed_note))
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(holding_texts.sent(held.holder.name))


async def _still_held(query: CallbackQuery, callback_data: Held, member: Member,
                      uow: UnitOfWork) -> holding.Holding | None:
    """The holding the button was drawn for, or None (the presser was told why not)."""
    try:
        held = await holding.holding(uow, member, callback_data.contact_id,
                                     callback_data.holder_id)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return None
    await query.answer()
    return held


async def reassign(query: CallbackQuery, callback_data: Held, member: Member,
                   uow: UnitOfWork) -> None:
    """Asks to confirm on the card itself: taking a seeker away is told to the holder."""
    if (held := await _still_held(query, callback_data, member, uow)) is None:
        return
    await edit_pressed(query, reply_markup=keyboards.reassign_confirm(
        held.contact.id, held.holder.id, held.holder.name))


async def reassign_confirmed(query: CallbackQuery, callback_data: Held, member: Member,
                             uow: UnitOfWork, clock: Clock) -> None:
    now = clock.now()
    try:
        view = await holding.reassign(uow, member, callback_data.contact_id,
                                      callback_data.holder_id, now)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Back in dispatch; {name} was told.").format(
        name=view.names.get(callback_data.holder_id, "?")))
    await edit_pressed(query, texts.card(view, now), reply_markup=keyboards.card(view))


async def close_reasons(query: CallbackQuery, callback_data: Held, member: Member,
                        uow: UnitOfWork) -> None:
    if (held := await _still_held(query, callback_data, member, uow)) is None:
        return
    await edit_pressed(query, reply_markup=keyboards.held_close(held.contact.id, held.holder.id))


async def close(query: CallbackQuery, callback_data: HeldClose, member: Member,
                uow: UnitOfWork, clock: Clock) -> None:
    now = clock.now()
    try:
        view = await holding.close(uow, member, callback_data.contact_id,
                                   callback_data.holder_id, callback_data.reason, now)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(_("Closed; {name} was told.").format(
        name=view.names.get(callback_data.holder_id, "?")))
    await edit_pressed(query, texts.card(view, now), reply_markup=keyboards.card(view))


async def _open_dialog(query: CallbackQuery, bot: Bot, fsm_storage: BaseStorage, step: State,
                       callback_data: Held, prompt: str,
                       markup: InlineKeyboardMarkup | None = None) -> None:
    """The prompt in the presser's private chat, and the dialog waiting there for their text."""
    try:
        await bot.send_message(query.from_user.id, prompt, reply_markup=markup)
    except TelegramAPIError:
        await query.answer(_("Please start a private chat with me first, then press again."),
                           show_alert=True)
        return
    key = StorageKey(bot_id=bot.id, chat_id=query.from_user.id, user_id=query.from_user.id)
    state = FSMContext(storage=fsm_storage, key=key)
    await state.set_state(step)
    await state.set_data({"contact_id": callback_data.contact_id,
                          "holder_id": callback_data.holder_id})
    private = query.message is not None and query.message.chat.type == "private"
    await query.answer(None if private else _("I wrote to you in our private chat."))


async def _typed(message: Message, state: FSMContext) -> str | None:
    """The dispatcher's words, or None (told why) when they are too long."""
    try:
        return parse_free_text(message.text or "", MAX_NOTES)
    except InvalidInput:
        await message.answer(_("That is too long; please shorten it."))
        return None


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="holding")
    r.callback_query.filter(HasRole(*DISPATCH_ROLES))
    r.message.filter(HasRole(*DISPATCH_ROLES), InPrivate())
    r.callback_query.register(ask, Held.filter(F.step == HeldStep.ASK))
    r.callback_query.register(ask_without_note, Held.filter(F.step == HeldStep.ASK_SEND))
    r.callback_query.register(write, Held.filter(F.step == HeldStep.MESSAGE))
    r.callback_query.register(reassign, Held.filter(F.step == HeldStep.REASSIGN))
    r.callback_query.register(reassign_confirmed, Held.filter(F.step == HeldStep.REASSIGN_YES))
    r.callback_query.register(close_reasons, Held.filter(F.step == HeldStep.CLOSE))
    r.callback_query.register(close, HeldClose.filter())
    r.message.register(ask_with_note, HoldingForm.ask_note, NOT_A_COMMAND)
    r.message.register(message_typed, HoldingForm.message, NOT_A_COMMAND)
    return r
