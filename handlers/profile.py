"""A multiplier's profile: buttons for pick-lists, short dialogs for areas and an away date."""

from dataclasses import replace
from datetime import UTC, datetime
from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.errors import DomainError
from domain.intake import MAX_NOTES
from domain.members import MAX_CAPACITY, MAX_TRAVEL_KM, Availability, Gender, Member, Profile
from domain.roles import Role
from services import areas as area_service
from services import team
from services.options import Options
from storage.uow import UnitOfWork
from views import labels
from views.callbacks import ProfileEdit
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.keyboard_builder import Keyboard
from views.replies import edit_pressed, reply_to_press


class ProfileForm(StatesGroup):
    areas = State()
    away_until = State()


async def show(message: Message, member: Member, uow: UnitOfWork, settings: Options) -> None:
    await message.answer(await text(uow, member), reply_markup=keyboard(member.profile, settings))


async def ask(query: CallbackQuery, callback_data: ProfileEdit, state: FSMContext) -> None:
    await query.answer()
    if callback_data.field == "areas":
        await state.set_state(ProfileForm.areas)
        await reply_to_press(query, _("Send the areas you serve, separated by commas (e.g. Podil, Obolon)."))
    else:
        await state.set_state(ProfileForm.away_until)
        await reply_to_press(query, _("Away until which date? Send it as YYYY-MM-DD."))


async def edit(query: CallbackQuery, callback_data: ProfileEdit, member: Member,
               uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    profile = apply(member.profile, callback_data, settings)
    if profile is None:
        await query.answer(_("This button is out of date or invalid."), show_alert=True)
        return
    member = await _save(uow, member, profile, clock)
    await query.answer(_("Saved."))
    await edit_pressed(query, await text(uow, member), reply_markup=keyboard(member.profile, settings))


async def areas(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                clock: Clock, settings: Options) -> None:
    assert message.text
    if len(message.text) > MAX_NOTES:
        await message.answer(_("That is too long; send a shorter list."))
        return
    try:
        places = await area_service.resolve_places(uow, message.text)
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    member = await _save(uow, member, replace(member.profile, areas=places), clock)
    await state.clear()
    await message.answer(await text(uow, member), reply_markup=keyboard(member.profile, settings))


async def away_until(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                     clock: Clock, settings: Options) -> None:
    try:
        until = datetime.strptime((message.text or "").strip(), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        await message.answer(_("Please send a date like 2026-12-24, or /cancel."))
        return
    if until <= clock.now():
        await message.answer(_("That date is in the past; send a future date, or /cancel."))
        return
    profile = replace(member.profile, availability=Availability.AWAY, away_until=until)
    member = await _save(uow, member, profile, clock)
    await state.clear()
    await message.answer(await text(uow, member), reply_markup=keyboard(member.profile, settings))


async def _save(uow: UnitOfWork, member: Member, profile: Profile, clock: Clock) -> Member:
    try:
        return await team.save_profile(uow, member, profile, clock.now())
    except DomainError:
        return member


def apply(profile: Profile, edit: ProfileEdit, settings: Options) -> Profile | None:
    """Turn a pressed button into the new profile; None for a value no button offers."""
    value = edit.value
    if edit.field == "gender" and value in Gender._value2member_map_:
        return replace(profile, gender=Gender(value))
    if edit.field == "lang" and value in settings.languages:
        return replace(profile, languages=profile.languages ^ {value})
    if edit.field == "cap" and value in ("-1", "+1"):
        return replace(profile, capacity=min(max(profile.capacity + int(value), 0), MAX_CAPACITY))
    if edit.field == "travel" and value in ("-5", "+5"):
        return replace(profile, travel_km=min(max(profile.travel_km + int(value), 0), MAX_TRAVEL_KM))
    if edit.field == "avail" and value in (Availability.ACTIVE, Availability.BUSY):
        return replace(profile, availability=Availability(value), away_until=None)
    return None


async def text(uow: UnitOfWork, member: Member) -> str:
    """Areas by the names on the team's list (a profile stores their folded keys)."""
    profile, area_map = member.profile, await area_service.area_map(uow, member)
    away = ""
    if profile.availability is Availability.AWAY and profile.away_until:
        away = " " + _("until {date}").format(date=labels.day(profile.away_until))
    return "\n".join([
        _("<b>Your profile</b>"),
        _("Gender: {value}").format(value=labels.gender(profile.gender)),
        _("Languages: {value}").format(
            value=", ".join(labels.language(c) for c in sorted(profile.languages)) or "—"),
        _("Areas: {value}").format(value=escape(", ".join(sorted(area_map.name(k) for k in profile.areas))) or "—"),
        ngettext("Capacity: {value} contact at a time", "Capacity: {value} contacts at a time",
                 profile.capacity).format(value=profile.capacity),
        _("Will travel: {km} km beyond own and neighbouring areas").format(km=profile.travel_km),
        _("Availability: {value}").format(value=labels.availability(profile.availability)) + away,
    ])


def keyboard(profile: Profile, settings: Options) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for gender in (Gender.FEMALE, Gender.MALE):
        mark = "✓ " if profile.gender is gender else ""
        kb.button(text=mark + labels.gender(gender), callback_data=ProfileEdit(field="gender", value=gender))
    for code in settings.languages:
        mark = "✓ " if code in profile.languages else ""
        kb.button(text=mark + labels.language(code), callback_data=ProfileEdit(field="lang", value=code))
    kb.button(text=_("Capacity −1"), callback_data=ProfileEdit(field="cap", value="-1"))
    kb.button(text=_("Capacity +1"), callback_data=ProfileEdit(field="cap", value="+1"))
    kb.button(text=_("Travel −5 km"), callback_data=ProfileEdit(field="travel", value="-5"))
    kb.button(text=_("Travel +5 km"), callback_data=ProfileEdit(field="travel", value="+5"))
    for avail in (Availability.ACTIVE, Availability.BUSY):
        mark = "✓ " if profile.availability is avail else ""
        kb.button(text=mark + labels.availability(avail),
                  callback_data=ProfileEdit(field="avail", value=avail))
    kb.button(text=_("Away until…"), callback_data=ProfileEdit(field="away"))
    kb.button(text=_("Areas…"), callback_data=ProfileEdit(field="areas"))
    kb.adjust(2, len(settings.languages), 2, 2, 3, 1)
    return kb.as_markup()



def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="profile")
    r.message.filter(HasRole(Role.MULTIPLIER), InPrivate())
    r.callback_query.filter(HasRole(Role.MULTIPLIER), InPrivate())
    r.message.register(show, Command("profile"))
    r.callback_query.register(ask, ProfileEdit.filter(F.field.in_({"areas", "away"})))
    r.callback_query.register(edit, ProfileEdit.filter())
    r.message.register(areas, ProfileForm.areas, NOT_A_COMMAND)
    r.message.register(away_until, ProfileForm.away_until, NOT_A_COMMAND)
    return r
