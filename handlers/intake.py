"""/new: a short guided form that turns what an operator knows into a contact in dispatch.

Each step validates and re-asks with a hint; /cancel works at any step. A forwarded seeker's
message starts the form prefilled with who they are and what they wrote.
"""


from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    Message,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain import intake as rules
from domain.clock import Clock
from domain.contacts import ContactDetails
from domain.errors import InvalidInput
from domain.members import Gender, Member
from domain.roles import INTAKE_ROLES
from services import intake
from services.options import Options
from storage.uow import UnitOfWork
from views import duplicate_texts, labels
from views.callbacks import IntakePick
from views.filters import NOT_A_COMMAND, HasRole
from views.keyboard_builder import Keyboard
from views.replies import edit_pressed
from views.language import for_reader

SKIP = "-"


class IntakeForm(StatesGroup):
    name = State()
    reach = State()
    gender = State()
    language = State()
    area = State()
    source = State()
    notes = State()


STEPS = [IntakeForm.name, IntakeForm.reach, IntakeForm.gender, IntakeForm.language,
         IntakeForm.area, IntakeForm.source, IntakeForm.notes]


async def start(message: Message, state: FSMContext, settings: Options) -> None:
    await state.clear()
    await ask_next(message, state, settings)


async def from_forward(message: Message, state: FSMContext, settings: Options) -> None:
    if await state.get_state() is not None:
        return await message.answer(_("Finish or /cancel the current form first."))
    draft: dict[str, str] = {}
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        draft["name"] = origin.sender_user.full_name
        draft["given_name"] = origin.sender_user.first_name
        draft["family_name"] = origin.sender_user.last_name or ""
        if origin.sender_user.username:
            draft["tg_username"] = origin.sender_user.username
            draft["reach"] = "done"
        draft["tg_user_id"] = str(origin.sender_user.id)
    elif isinstance(origin, MessageOriginHiddenUser):
        draft["name"] = origin.sender_user_name
    elif isinstance(origin, MessageOriginChat):
        draft["name"] = origin.sender_chat.title or ""
    draft["prefill_notes"] = (message.text or message.caption or "")[: rules.MAX_NOTES]
    await state.set_data({k: v for k, v in draft.items() if v})
    await message.answer(_("New contact from a forwarded message. Let's fill in the rest."))
    await ask_next(message, state, settings)


async def got_name(message: Message, state: FSMContext, settings: Options) -> None:
    await _store(message, state, settings, "name", rules.parse_name)


async def got_reach(message: Message, state: FSMContext, settings: Options) -> None:
    try:
        found = rules.parse_reach(message.text or "", settings.phone_region)
    except InvalidInput as exc:
        hint = _("That phone number is not valid. Include the country code, e.g. +380 44 123 4567.") \
            if exc.detail == "phone" else \
            _("Send a phone number, a Telegram @username or an e-mail (several separated by commas).")
        await message.answer(hint)
        return
    await state.update_data(reach="done", **found)
    await ask_next(message, state, settings)


async def picked(query: CallbackQuery, callback_data: IntakePick, state: FSMContext,
                 settings: Options) -> None:
    current = await state.get_state()
    valid = (
        (callback_data.field == "gender" and current == IntakeForm.gender.state
         and callback_data.value in Gender._value2member_map_)
        or (callback_data.field == "language" and current == IntakeForm.language.state
            and (callback_data.value in settings.languages or callback_data.value == SKIP))
    )
    if not valid:
        await query.answer(_("This button is out of date or invalid."), show_alert=True)
        return
    await query.answer()
    await state.update_data(**{callback_data.field: callback_data.value})
    await edit_pressed(query, reply_markup=None)
    await ask_next(query.message, state, settings)


async def got_area(message: Message, state: FSMContext, settings: Options) -> None:
    await _store(message, state, settings, "area", rules.parse_free_text)


async def got_source(message: Message, state: FSMContext, settings: Options) -> None:
    await _store(message, state, settings, "source", rules.parse_free_text)


async def got_notes(message: Message, state: FSMContext, settings: Options, member: Member,
                    uow: UnitOfWork, clock: Clock, team_chat_id: int | None) -> None:
    try:
        notes = "" if message.text == SKIP else rules.parse_free_text(message.text or "", rules.MAX_NOTES)
    except InvalidInput:
        await message.answer(ngettext(
            "That is too long (at most {n} character). Send a shorter note.",
            "That is too long (at most {n} characters). Send a shorter note.",
            rules.MAX_NOTES).format(n=rules.MAX_NOTES))
        return
    data = await state.get_data()
    result = await intake.create_contact(uow, member, _details(data, notes), clock.now(),
                                         compose_touch=for_reader(duplicate_texts.touch_notice),
                                         quiet=settings.quiet())
    await state.clear()
    contact_id = result.contact.id
    if not result.created:
        await message.answer(_("Already known as #{id}: this was added to that contact as a new touch, not entered twice. The dispatchers were told.").format(id=contact_id))
    elif team_chat_id is None:
        await message.answer(_("Saved as #{id}. No team chat is bound yet: an admin must send /bind in the dispatchers' group.").format(id=contact_id))
    elif message.chat.id != team_chat_id:
        await message.answer(_("Saved as #{id} and sent to the team chat for dispatch.").format(id=contact_id))


async def _store(message: Message, state: FSMContext, settings: Options, key: str, parse) -> None:  # type: ignore[no-untyped-def]
    text = message.text or ""
    try:
        value = "" if text == SKIP and key != "name" else parse(text)
    except InvalidInput as exc:
        if exc.detail == "too_long":
            await message.answer(_("That is too long; please shorten it."))
        else:
            await message.answer(_("Please send some text."))
        return
    await state.update_data(**{key: value})
    await ask_next(message, state, settings)


async def ask_next(message: Message, state: FSMContext, settings: Options) -> None:
    data = await state.get_data()
    step = next(s for s in STEPS if s.state.split(":")[1] not in data)
    await state.set_state(step)
    if step is IntakeForm.name:
        await message.answer(_("New contact. What is their name?"))
    elif step is IntakeForm.reach:
        await message.answer(_("How can we reach them? A phone number, a Telegram @username or an e-mail (several separated by commas)."))
    elif step is IntakeForm.gender:
        kb = Keyboard()
        for gender in Gender:
            kb.button(text=labels.gender(gender), callback_data=IntakePick(field="gender", value=gender))
        await message.answer(_("Gender?"), reply_markup=kb.as_markup())
    elif step is IntakeForm.language:
        kb = Keyboard()
        for code in settings.languages:
            kb.button(text=labels.language(code), callback_data=IntakePick(field="language", value=code))
        kb.button(text=_("Not known"), callback_data=IntakePick(field="language", value=SKIP))
        kb.adjust(3)
        await message.answer(_("Which language do they speak?"), reply_markup=kb.as_markup())
    elif step is IntakeForm.area:
        await message.answer(_("Where are they (city / area)? Send - if not known."))
    elif step is IntakeForm.source:
        await message.answer(_("Where did they come from (ad, web form, …)? Send - to skip."))
    else:
        prefill = data.get("prefill_notes")
        hint = _("Their message will be kept as the note; send - to keep it as is.") if prefill else _("Send - to skip.")
        await message.answer(_("Any notes for the multiplier?") + " " + hint)


def _details(data: dict[str, str], notes: str) -> ContactDetails:
    if not notes and data.get("prefill_notes"):
        notes = data["prefill_notes"]
    elif data.get("prefill_notes"):
        notes = data["prefill_notes"] + "\n" + notes
    return ContactDetails(
        name=data["name"],
        given_name=data.get("given_name"),
        family_name=data.get("family_name"),
        phone=data.get("phone"),
        tg_username=data.get("tg_username"),
        tg_user_id=int(data["tg_user_id"]) if data.get("tg_user_id") else None,
        email=data.get("email"),
        gender=Gender(data.get("gender", Gender.UNKNOWN)),
        language="" if data.get("language", SKIP) == SKIP else data["language"],
        area=data.get("area", ""),
        source=data.get("source", ""),
        notes=notes,
    )



def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="intake")
    r.message.filter(HasRole(*INTAKE_ROLES))
    r.callback_query.filter(HasRole(*INTAKE_ROLES))
    r.message.register(start, Command("new"))
    r.message.register(from_forward, F.forward_origin, F.chat.type == "private")
    r.message.register(got_name, IntakeForm.name, NOT_A_COMMAND)
    r.message.register(got_reach, IntakeForm.reach, NOT_A_COMMAND)
    r.callback_query.register(picked, IntakePick.filter())
    r.message.register(got_area, IntakeForm.area, NOT_A_COMMAND)
    r.message.register(got_source, IntakeForm.source, NOT_A_COMMAND)
    r.message.register(got_notes, IntakeForm.notes, NOT_A_COMMAND)
    return r
