"""The assigned multiplier moves a contact along its path, hands it back, lists theirs in /my."""

from itertools import groupby

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.contacts import FOLLOW_UP_STAGES, Status
from domain.errors import DomainError, InvalidInput, NoLongerYours
from domain.intake import MAX_NOTES, parse_free_text
from domain.members import Member
from domain.offers import OfferStatus
from domain.roles import Role
from services import followup, notify, relay
from services.options import Options
from storage.uow import UnitOfWork
from views import conversation_texts, keyboards, labels, texts
from views.callbacks import HandBack, Stage
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
    contacts = await followup.my_contacts(uow, member)
    if not contacts:
        await message.answer(_("You hold no contacts right now."))
        return
    talks = await relay.statuses(uow, [c.id for c in contacts])
    now, order = clock.now(), [Status.ACCEPTED, *FOLLOW_UP_STAGES]
    contacts.sort(key=lambda c: order.index(c.status))
    lines = [_("<b>Your contacts</b>")]
    for status, group in groupby(contacts, key=lambda c: c.status):
        lines.append(f"\n<b>{labels.status(status).capitalize()}</b>")
        for c in group:
            since = c.stage_changed_at or c.created_at
            lines.append(_("#{id} {who} — for {age}, since {when}").format(
                id=c.id, who=texts.summary(c.details), age=labels.ago(since, now),
                when=labels.when(since, member.timezone or settings.team_timezone))
                + (f" · 💬 {conversation_texts.relay_status(talks[c.id])}" if c.id in talks else ""))
    await message.answer(texts.fit("\n".join(lines)))



def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="followup")
    r.message.filter(HasRole(Role.MULTIPLIER))
    r.callback_query.filter(HasRole(Role.MULTIPLIER), InPrivate())
    r.callback_query.register(stage, Stage.filter())
    r.callback_query.register(hand_back_ask, HandBack.filter())
    r.message.register(hand_back, HandBackForm.note, NOT_A_COMMAND)
    r.message.register(my, Command("my"))
    return r
