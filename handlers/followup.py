"""The assigned multiplier moves a contact along its path, hands it back, lists theirs in /my."""

from datetime import date
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.contact_filters import PAGE_SIZE, clamp_page, pages
from domain.contacts import FOLLOW_UP_STAGES, Contact, Status
from domain.errors import DomainError, InvalidInput, NoLongerYours
from domain.intake import MAX_NOTES, parse_free_text
from domain.meetings import (
    MAX_RECORD_TEXT,
    NoteKind,
    at_hour,
    day_choices,
    note_kind,
    parse_meeting,
)
from domain.members import Member
from domain.roles import Role
from services import followup, notify, relay
from services.options import Options
from storage.uow import UnitOfWork
from views import keyboards, labels, record_texts, screen_texts, texts
from views.callbacks import HandBack, MeetAt, MeetDay, MyPage, NoteSkip, Stage
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.replies import edit_pressed, reply_to_press
from views.language import words


class HandBackForm(StatesGroup):
    note = State()


class RecordForm(StatesGroup):
    """After a stage button: the meeting's day and time, then a short line (a note, the
    meeting's place, or its result)."""

    when = State()
    line = State()


async def stage(query: CallbackQuery, callback_data: Stage, member: Member, uow: UnitOfWork,
                clock: Clock, bot: Bot, settings: Options, state: FSMContext) -> None:
    try:
        done = await followup.set_stage(uow, member, callback_data.contact_id, callback_data.stage,
                                        clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        if isinstance(exc, NoLongerYours):  # an old reminder's buttons: not pressed again
            await edit_pressed(query, reply_markup=None)
        return
    await query.answer(_("Saved: {stage}").format(stage=labels.status(callback_data.stage)))
    tz = member.timezone or settings.team_timezone
    pressed = (query.message.chat.id, query.message.message_id) if query.message else None
    text = texts.details(done.contact, done.accepted, tz) \
        if done.details_at in (None, pressed) else texts.stage_saved(done.contact)
    await edit_pressed(query, text,
                       reply_markup=keyboards.stages(done.contact.id, done.contact.status))
    await _ask_more(query, state, done.contact, clock, tz)


async def _ask_more(query: CallbackQuery, state: FSMContext, contact: Contact,
                    clock: Clock, zone: str) -> None:
    """A stage may carry more: "meeting scheduled" asks when, any other stage a short line."""
    await state.set_data({"contact_id": contact.id, "stage": contact.status.value})
    if contact.status is Status.MEETING_SCHEDULED:
        await state.set_state(RecordForm.when)
        await reply_to_press(query, record_texts.ask_day(contact), reply_markup=keyboards.meeting_days(
            contact.id, day_choices(clock.now(), ZoneInfo(zone))))
        return
    kind = note_kind(contact.status)
    await state.set_state(RecordForm.line)
    await state.update_data(kind=kind.value)
    await reply_to_press(query, record_texts.ask_note(contact, kind),
                         reply_markup=keyboards.skip(contact.id))


async def meet_day(query: CallbackQuery, callback_data: MeetDay, state: FSMContext) -> None:
    """A day picked: the hours follow; the typed time is read on this day."""
    await state.set_state(RecordForm.when)
    await state.update_data(contact_id=callback_data.contact_id,
                            stage=Status.MEETING_SCHEDULED.value, day=callback_data.day)
    await query.answer()
    day = date.fromordinal(callback_data.day)
    await edit_pressed(query, record_texts.ask_hour(callback_data.contact_id, labels.weekday(day)),
                       reply_markup=keyboards.meeting_hours(callback_data.contact_id, day))


async def meet_at(query: CallbackQuery, callback_data: MeetAt, member: Member, uow: UnitOfWork,
                  clock: Clock, settings: Options, state: FSMContext) -> None:
    zone = member.timezone or settings.team_timezone
    try:
        at = at_hour(date.fromordinal(callback_data.day), callback_data.hour, clock.now(),
                     ZoneInfo(zone))
        done = await followup.set_meeting(uow, member, callback_data.contact_id, at, clock.now())
    except DomainError as exc:
        await query.answer(_time_problem(exc), show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, record_texts.meeting_saved(done.contact, zone))
    await reply_to_press(query, await _ask_place(state, done.contact),
                         reply_markup=keyboards.skip(done.contact.id))


async def meet_typed(message: Message, member: Member, uow: UnitOfWork, clock: Clock,
                     settings: Options, state: FSMContext) -> None:
    zone = member.timezone or settings.team_timezone
    data = await state.get_data()
    day = date.fromordinal(data["day"]) if data.get("day") else None
    try:
        at = parse_meeting(message.text or "", day, clock.now(), ZoneInfo(zone))
        done = await followup.set_meeting(uow, member, data["contact_id"], at, clock.now())
    except DomainError as exc:
        await message.answer(_time_problem(exc))
        if not isinstance(exc, InvalidInput):
            await state.clear()
        return
    await message.answer(record_texts.meeting_saved(done.contact, zone))
    await message.answer(await _ask_place(state, done.contact),
                         reply_markup=keyboards.skip(done.contact.id))


async def _ask_place(state: FSMContext, contact: Contact) -> str:
    """The meeting is set: the place is asked next (the question's text)."""
    await state.set_state(RecordForm.line)
    await state.set_data({"contact_id": contact.id, "stage": contact.status.value,
                          "kind": NoteKind.PLACE.value})
    return record_texts.ask_note(contact, NoteKind.PLACE)


def _time_problem(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput):
        return _("I could not read a coming date and time there: try 18:00 or 3.12 18:00.")
    return labels.error(exc)


async def record_line(message: Message, member: Member, uow: UnitOfWork, clock: Clock,
                      state: FSMContext) -> None:
    """The note, the place or the result asked for after a stage."""
    try:
        text = parse_free_text(message.text or "", MAX_RECORD_TEXT)
    except InvalidInput:
        await message.answer(_("That is too long; please shorten it."))
        return
    data = await state.get_data()
    await state.clear()
    try:
        await followup.add_note(uow, member, data["contact_id"], Status(data["stage"]),
                                NoteKind(data["kind"]), text, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(_("Saved. Thank you."))


async def skip(query: CallbackQuery, callback_data: NoteSkip, state: FSMContext) -> None:
    await state.clear()
    await query.answer(_("Skipped"))
    await edit_pressed(query, reply_markup=None)


async def hand_back_ask(query: CallbackQuery, callback_data: HandBack, state: FSMContext) -> None:
    await state.set_state(HandBackForm.note)
    await state.update_data(contact_id=callback_data.contact_id)
    await query.answer()
    await reply_to_press(query, _("Why are you handing #{id} back? A short note for the dispatcher (or /cancel).").format(id=callback_data.contact_id))


async def hand_back(message: Message, state: FSMContext, member: Member, uow: UnitOfWork,
                    clock: Clock, bot: Bot, settings: Options) -> None:
    try:
        note = parse_free_text(message.text or "", MAX_NOTES)
    except InvalidInput:
        await message.answer(_("That is too long; please shorten it."))
        return
    contact_id = (await state.get_data())["contact_id"]
    await state.clear()
    try:
        done = await followup.hand_back(uow, member, contact_id, note, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(_("#{id} is back with the dispatchers. Thank you.").format(id=contact_id))
    await notify.ping_dispatchers(uow, words(texts.handed_back_notice, done.contact, member.name),
                                  clock.now(), settings.quiet())


async def my(message: Message, member: Member, uow: UnitOfWork, clock: Clock,
             settings: Options) -> None:
    shown = await _my_page(member, uow, clock, settings, 0)
    if shown is None:
        await message.answer(_("You hold no contacts right now."))
        return
    await message.answer(shown[0], reply_markup=shown[1])


async def my_paged(query: CallbackQuery, callback_data: MyPage, member: Member,
                   uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    shown = await _my_page(member, uow, clock, settings, callback_data.page)
    await query.answer()
    if shown is None:
        await edit_pressed(query, _("You hold no contacts right now."))
        return
    await edit_pressed(query, shown[0], reply_markup=shown[1])


async def _my_page(member: Member, uow: UnitOfWork, clock: Clock, settings: Options,
                   page: int) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A page of the multiplier's contacts by stage; None when they hold none."""
    contacts = await followup.my_contacts(uow, member)
    if not contacts:
        return None
    order = [Status.ACCEPTED, *FOLLOW_UP_STAGES]
    contacts.sort(key=lambda c: order.index(c.status))
    page, count = clamp_page(page, len(contacts)), pages(len(contacts))
    shown = contacts[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    talks = await relay.statuses(uow, [c.id for c in shown])
    text = screen_texts.my_page(shown, talks, page, count,
                                member.timezone or settings.team_timezone, clock.now())
    return text, keyboards.my_list(shown, page, count)


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="followup")
    r.message.filter(HasRole(Role.MULTIPLIER))
    r.callback_query.filter(HasRole(Role.MULTIPLIER), InPrivate())
    r.callback_query.register(stage, Stage.filter())
    r.callback_query.register(hand_back_ask, HandBack.filter())
    r.callback_query.register(meet_day, MeetDay.filter())
    r.callback_query.register(meet_at, MeetAt.filter())
    r.callback_query.register(skip, NoteSkip.filter())
    r.message.register(meet_typed, RecordForm.when, NOT_A_COMMAND)
    r.message.register(record_line, RecordForm.line, NOT_A_COMMAND)
    r.message.register(hand_back, HandBackForm.note, NOT_A_COMMAND)
    r.message.register(my, Command("my"))
    r.callback_query.register(my_paged, MyPage.filter())
    return r
