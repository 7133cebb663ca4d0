"""Operators' buttons on a seeker's triage card in the team chat, and the short private
dialog that confirms a contact made from it (Make contact -> gender, language, area ->
Send to dispatch). Every press asks the use case again (services.triage)."""


import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.conversations import OTHER, DraftField, TriageAction, next_field
from domain.errors import DomainError, InvalidInput
from domain.members import Member
from domain.roles import INTAKE_ROLES
from services import relay, triage
from services.options import Options
from storage.uow import UnitOfWork
from views import conversation_texts as ct
from views import duplicate_texts, labels
from views.callbacks import DraftPick, DraftSend, TriageAct
from views.filters import NOT_A_COMMAND, HasRole, InPrivate
from views.language import for_reader
from views.replies import edit_pressed


class DraftForm(StatesGroup):
    area = State()  # "Other…": the operator types the area


async def act(query: CallbackQuery, callback_data: TriageAct, member: Member, uow: UnitOfWork,
              clock: Clock, bot: Bot, settings: Options) -> None:
    now, action = clock.now(), callback_data.action
    if action is TriageAction.CONTACT:
        await _open_draft(query, callback_data.conversation_id, member, uow, clock, bot,
                          settings)
        return
    try:
        card = await triage.act(uow, member, callback_data.conversation_id, action, now)
    except DomainError as exc:
        await query.answer(_refusal(exc), show_alert=True)
        return
    await query.answer({
        TriageAction.CLAIM: _("It is yours."),
        TriageAction.SPAM: _("Marked as spam: this sender is muted."),
        TriageAction.READ: _("Marked as read."),
    }[action])
    await edit_pressed(query, ct.triage_card(card, now), reply_markup=ct.triage_keyboard(card))
    if card.history:
        await _send_private_copy(bot, uow, member, card)


async def _open_draft(query: CallbackQuery, conversation_id: int, member: Member,
                      uow: UnitOfWork, clock: Clock, bot: Bot, settings: Options) -> None:
    """Make contact: the draft opens and its dialog goes to the presser's private chat; if
    they cannot be reached there, the draft is dropped again and they are told why."""
    try:
        view = await triage.start_contact(uow, member, conversation_id, clock.now())
    except DomainError as exc:
        await query.answer(_refusal(exc), show_alert=True)
        return
    card = view.card
    if card.history:
        await _send_private_copy(bot, uow, member, card)
    try:
        await bot.send_message(
            member.tg_user_id, ct.draft_text(card.conversation, view.draft, DraftField.GENDER),
            reply_markup=ct.draft_keyboard(conversation_id, view.draft, DraftField.GENDER,
                                           settings.languages))
    except TelegramAPIError:
        with contextlib.suppress(DomainError):
            card = await triage.drop_draft(uow, member, conversation_id, clock.now())
        await query.answer(ct.draft_unreachable(), show_alert=True)
    else:
        await query.answer(ct.draft_opened())
    await edit_pressed(query, ct.triage_card(card, clock.now()),
                       reply_markup=ct.triage_keyboard(card))


async def draft_pick(query: CallbackQuery, callback_data: DraftPick, state: FSMContext,
                     member: Member, uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    conv_id, field = callback_data.conversation_id, callback_data.field
    try:
        if field is DraftField.AREA and callback_data.value == OTHER:
            await triage.draft_of(uow, member, conv_id)
            await state.set_state(DraftForm.area)
            await state.set_data({"conversation_id": conv_id})
            await query.answer()
            await edit_pressed(query, ct.draft_area_prompt())
            return
        view = await triage.pick(uow, member, conv_id, field, callback_data.value, clock.now(),
                                 frozenset(settings.languages))
    except DomainError as exc:
        await query.answer(_refusal(exc), show_alert=True)
        return
    await query.answer()
    step = next_field(field)
    await edit_pressed(query, ct.draft_text(view.card.conversation, view.draft, step),
                       reply_markup=ct.draft_keyboard(conv_id, view.draft, step,
                                                      settings.languages))


async def draft_area_typed(message: Message, state: FSMContext, member: Member,
                           uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    conv_id = (await state.get_data())["conversation_id"]
    try:
        view = await triage.type_area(uow, member, conv_id, message.text or "", clock.now())
    except InvalidInput:  # the dialog asks again
        await message.answer(ct.draft_area_prompt())
        return
    except DomainError as exc:
        await state.clear()
        await message.answer(_refusal(exc))
        return
    await state.clear()
    await message.answer(ct.draft_text(view.card.conversation, view.draft, None),
                         reply_markup=ct.draft_keyboard(conv_id, view.draft, None,
                                                        settings.languages))


async def draft_send(query: CallbackQuery, callback_data: DraftSend, member: Member,
                     uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    try:
        result, _card = await triage.to_contact(
            uow, member, callback_data.conversation_id, _("Telegram bot"), clock.now(),
            compose_touch=for_reader(duplicate_texts.touch_notice), quiet=settings.quiet())
    except DomainError as exc:
        await query.answer(_refusal(exc), show_alert=True)
        return
    done = ct.draft_sent(result.contact.id, result.created)
    await query.answer(done)
    await edit_pressed(query, done)


async def _send_private_copy(bot: Bot, uow: UnitOfWork, member: Member,
                             card: triage.TriageCard) -> None:
    """The claimer reads the unmasked words in their private chat and answers the seeker by
    replying to it (as multipliers do: services.relay); a claimer who never started the bot
    still has the claim (the card shows the words masked)."""
    with contextlib.suppress(TelegramAPIError):
        sent = await bot.send_message(member.tg_user_id, ct.claimed_conversation(card))
        await relay.link(uow, member.tg_user_id, sent.message_id, card.conversation.id)


def _refusal(exc: DomainError) -> str:
    if exc.code == "not_allowed" and exc.detail == "claimed":
        return _("Another operator claimed this request.")
    if exc.code == "already_done" and exc.detail == "confirming":
        return _("You are confirming this contact already: see our private chat.")
    if exc.code == "invalid_input" and exc.detail == "button":
        return _("This button is out of date or invalid.")
    return labels.error(exc)


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="triage")
    r.callback_query.filter(HasRole(*INTAKE_ROLES))
    r.callback_query.register(act, TriageAct.filter())
    r.callback_query.register(draft_pick, DraftPick.filter(), InPrivate())
    r.callback_query.register(draft_send, DraftSend.filter(), InPrivate())
    r.message.register(draft_area_typed, DraftForm.area, NOT_A_COMMAND, InPrivate(),
                       HasRole(*INTAKE_ROLES))
    return r
