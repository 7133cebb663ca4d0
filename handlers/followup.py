"""The assigned multiplier moves a contact along its path, hands it back, lists theirs in /my."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.contact_filters import PAGE_SIZE, clamp_page, pages
from domain.contacts import FOLLOW_UP_STAGES, Status
from domain.errors import DomainError, InvalidInput, NoLongerYours
from domain.intake import MAX_NOTES, parse_free_text
from domain.members import Member
from domain.offers import OfferStatus
from domain.roles import Role
from services import followup, notify, relay
from services.options import Options
from storage.uow import UnitOfWork
from views import keyboards, labels, screen_texts, texts
from views.callbacks import HandBack, MyPage, Stage
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.replies import edit_pressed, reply_to_press
from views.language import words


class HandBackForm(StatesGroup):
    note = State()


async def stage(query: CallbackQuery, callback_data: Stage, member: Member, uow: UnitOfWork,
                clock: Clock, bot: Bot, settings: Options) -> None:
    try:
        done = await followup.set_stage(uow, member, callback_data.contact_id, callback_data.stage,
                                        clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        if isinstance(exc, NoLongerYours):  # an old reminder's buttons: not pressed again
            await edit_pressed(query, reply_markup=None)
        return
    await query.answer(_("Saved: {stage}").format(stage=labels.status(callback_data.stage)))
    # None when a merge handed this record over: the Yes was given on the other record.
    accepted = next((o for o in reversed(done.card.offers) if o.status is OfferStatus.ACCEPTED),
                    None)
    tz = member.timezone or settings.team_timezone
    pressed = (query.message.chat.id, query.message.message_id) if query.message else None
    text = texts.details(done.contact, accepted, tz) \
        if done.details_at in (None, pressed) else texts.stage_saved(done.contact)
    await edit_pressed(query, text,
                       reply_markup=keyboards.stages(done.contact.id, done.contact.status))


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
    r.message.register(hand_back, HandBackForm.note, NOT_A_COMMAND)
    r.message.register(my, Command("my"))
    r.callback_query.register(my_paged, MyPage.filter())
    return r
