"""/form new NAME | list: lead forms for the team's web page, by admins, in private. Each
form has a panel: buttons for the fields it asks, its texts (typed), pause / resume, the
link with an embed snippet, a QR code, delete."""

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.roles import Role
from domain.web_forms import TEXTS, Field, WebForm, address
from services import web_forms
from services.options import Options
from storage.uow import UnitOfWork
from views import form_texts as texts
from views.callbacks import FormAct
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.replies import edit_pressed, reply_to_press


class FormEdit(StatesGroup):
    text = State()  # data: form_id, which (one of domain.web_forms.TEXTS)


async def form(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
               clock: Clock, settings: Options) -> None:
    action, _sep, name = (command.args or "").strip().partition(" ")
    if action == "new" and name.strip():
        try:
            made = await web_forms.create(uow, member, name, clock.now())
        except DomainError as exc:
            await message.answer(texts.refusal(exc, name.strip().lower()))
            return
        await message.answer(texts.panel(made, settings.form_base()),
                             reply_markup=texts.panel_keyboard(made))
    elif action == "list" and not name:
        listed = await web_forms.list_forms(uow, member)
        await message.answer(texts.forms_list(listed), reply_markup=texts.list_keyboard(listed))
    else:
        await message.answer(texts.usage())


async def press(query: CallbackQuery, callback_data: FormAct, member: Member, uow: UnitOfWork,
                clock: Clock, settings: Options, state: FSMContext) -> None:
    action, form_id, value = callback_data.action, callback_data.form_id, callback_data.value
    base = settings.form_base()
    try:
        if action in ("field", "pause", "resume"):
            changed = await _change(uow, member, callback_data, clock)
            if changed is None:
                await query.answer(_("This button is out of date or invalid."), show_alert=True)
                return
            await edit_pressed(query, texts.panel(changed, base), texts.panel_keyboard(changed))
            await query.answer(_("Saved."))
        elif action == "delete_yes":
            gone = await web_forms.delete(uow, member, form_id, clock.now())
            await edit_pressed(query, texts.deleted(gone))
            await query.answer()
        elif action == "list":
            listed = await web_forms.list_forms(uow, member)
            await edit_pressed(query, texts.forms_list(listed), texts.list_keyboard(listed))
            await query.answer()
        elif action in ("open", "delete", "link", "qr") or (action == "text" and value in TEXTS):
            await _show(query, await web_forms.get(uow, member, form_id), action, value, base,
                        state)
        else:
            await query.answer(_("This button is out of date or invalid."), show_alert=True)
    except DomainError as exc:
        await query.answer(texts.refusal(exc), show_alert=True)


async def _change(uow: UnitOfWork, member: Member, data: FormAct,
                  clock: Clock) -> WebForm | None:
    """The buttons that change the form; None for a field no button offers."""
    if data.action == "field":
        if data.value not in Field._value2member_map_:
            return None
        return await web_forms.toggle_field(uow, member, data.form_id, Field(data.value),
                                            clock.now())
    return await web_forms.set_paused(uow, member, data.form_id, data.action == "pause",
                                      clock.now())


async def _show(query: CallbackQuery, shown: WebForm, action: str, value: str,
                base: str, state: FSMContext) -> None:
    """The buttons that only show something (or ask for a text); the press is answered once
    it is shown."""
    if action == "open":
        await edit_pressed(query, texts.panel(shown, base), texts.panel_keyboard(shown))
    elif action == "delete":
        await edit_pressed(query, texts.delete_question(shown), texts.delete_keyboard(shown))
    elif action == "link":
        await reply_to_press(query, texts.embed(shown, base))
    elif action == "qr" and not base:
        await reply_to_press(query, texts.no_server())
    elif action == "qr":
        assert query.bot is not None
        png = texts.qr_png(address(base, shown.slug))
        await query.bot.send_document(query.from_user.id,
                                      BufferedInputFile(png, f"form-{shown.slug}.png"),
                                      caption=texts.qr_caption(shown, base))
    else:
        await state.set_state(FormEdit.text)
        await state.update_data(form_id=shown.id, which=value)
        await reply_to_press(query, texts.ask(value, shown))
    await query.answer()


async def typed(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                clock: Clock, settings: Options) -> None:
    data = await state.get_data()
    if "form_id" not in data or "which" not in data:  # the dialog's data expired
        await state.clear()
        await message.answer(texts.usage())
        return
    try:
        changed = await web_forms.set_text(uow, member, int(data["form_id"]), str(data["which"]),
                                           message.text or "", clock.now())
    except DomainError as exc:
        await message.answer(texts.refusal(exc))
        if exc.detail != "too_long":
            await state.clear()
        return
    await state.clear()
    await message.answer(texts.panel(changed, settings.form_base()),
                         reply_markup=texts.panel_keyboard(changed))


def router() -> Router:
    r = Router(name="web_forms")
    r.message.filter(HasRole(Role.ADMIN), InPrivate())
    r.callback_query.filter(HasRole(Role.ADMIN), InPrivate())
    r.message.register(form, Command("form"))
    r.callback_query.register(press, FormAct.filter())
    r.message.register(typed, FormEdit.text, NOT_A_COMMAND)
    return r
