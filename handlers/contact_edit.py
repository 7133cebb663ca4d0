"""Editing a contact's details after intake, in a private chat: *Edit details* on the screen
-> a field (buttons) -> the value typed (or picked, for gender and language) -> saved, and the
screen shown again. Every step asks the use case again (services.contact_edit)."""

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.contact_edit import CHOICE_FIELDS
from domain.errors import DomainError, InvalidInput
from domain.members import Member
from domain.roles import Role
from services import contact_edit, contact_screen
from services.contact_edit import Edited
from services.options import Options
from storage.uow import UnitOfWork
from views import keyboards, labels, screen_texts
from views.callbacks import EditContact, EditPick
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.language import for_reader
from views.replies import edit_pressed, reply_to_press


class EditForm(StatesGroup):
    value = State()


def _private(query: CallbackQuery) -> bool:
    return query.message is not None and query.message.chat.type == "private"


async def chosen(query: CallbackQuery, callback_data: EditContact, state: FSMContext,
                 member: Member, uow: UnitOfWork, settings: Options) -> None:
    """*Edit details* (no field yet): the fields this person may change. A field: ask for
    its value, or offer its choices."""
    contact_id, name = callback_data.contact_id, callback_data.field
    try:
        if not name:
            target = await contact_edit.editable(uow, member, contact_id, _private(query))
        else:
            contact = await contact_edit.check_field(uow, member, contact_id, name,
                                                     _private(query))
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    if not name:
        await reply_to_press(query, screen_texts.edit_menu(target.contact),
                             reply_markup=keyboards.edit_fields(contact_id, target.fields))
    elif name in CHOICE_FIELDS:
        await edit_pressed(query, screen_texts.edit_prompt(contact, name),
                           reply_markup=keyboards.edit_choices(contact_id, name,
                                                               settings.languages))
    else:
        await state.set_state(EditForm.value)
        await state.set_data({"contact_id": contact_id, "field": name})
        await edit_pressed(query, screen_texts.edit_prompt(contact, name))


async def typed(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                clock: Clock, settings: Options) -> None:
    data = await state.get_data()
    try:
        done = await _save(uow, member, data["contact_id"], data["field"], message.text or "",
                           clock, settings)
    except InvalidInput as exc:  # the dialog asks again
        await message.answer(screen_texts.edit_problem(exc.detail))
        return
    except DomainError as exc:
        await state.clear()
        await message.answer(labels.error(exc))
        return
    await state.clear()
    await message.answer(screen_texts.edited(done.contact, done.field, done.changed))
    again = await _screen_now(member, uow, done, clock, settings)
    if again:
        await message.answer(again[0], reply_markup=again[1])


async def picked(query: CallbackQuery, callback_data: EditPick, member: Member,
                 uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    if callback_data.field not in CHOICE_FIELDS or not _private(query):
        await query.answer(_("This button is out of date or invalid."), show_alert=True)
        return
    try:
        done = await _save(uow, member, callback_data.contact_id, callback_data.field,
                           callback_data.value, clock, settings)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer(screen_texts.edited(done.contact, done.field, done.changed))
    await edit_pressed(query, reply_markup=None)
    again = await _screen_now(member, uow, done, clock, settings)
    if again:
        await reply_to_press(query, again[0], reply_markup=again[1])


async def _save(uow: UnitOfWork, member: Member, contact_id: int, name: str, value: str,
                clock: Clock, settings: Options) -> Edited:
    return await contact_edit.save(
        uow, member, contact_id, name, value, clock.now(), region=settings.phone_region,
        languages=settings.languages, quiet=settings.quiet(),
        compose=for_reader(screen_texts.edited_notice))


async def _screen_now(member: Member, uow: UnitOfWork, done: Edited, clock: Clock,
                      settings: Options) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The contact's screen as it is now; None if the editor may no longer read it."""
    now = clock.now()
    try:
        screen = await contact_screen.open_screen(uow, member, done.contact.id, True, now)
    except DomainError:
        return None
    zone = screen_texts.reader_zone(member, True, settings.team_timezone)
    return screen_texts.screen(screen, zone, now), keyboards.contact_screen(screen)


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="contact_edit")
    r.callback_query.filter(HasRole(*Role))
    r.callback_query.register(chosen, EditContact.filter())
    r.callback_query.register(picked, EditPick.filter())
    r.message.register(typed, EditForm.value, NOT_A_COMMAND, InPrivate(), HasRole(*Role))
    return r
