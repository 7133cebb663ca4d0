"""Operators' buttons on a seeker's triage card in the team chat."""


import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.conversations import TriageAction
from domain.errors import DomainError
from domain.members import Member
from domain.roles import INTAKE_ROLES
from services import relay, triage
from services.options import Options
from storage.uow import UnitOfWork
from views import conversation_texts as ct
from views import duplicate_texts, labels
from views.callbacks import TriageAct
from views.filters import HasRole
from views.replies import edit_pressed
from views.language import for_reader


async def act(query: CallbackQuery, callback_data: TriageAct, member: Member, uow: UnitOfWork,
              clock: Clock, bot: Bot, settings: Options,
              team_chat_id: int | None) -> None:
    now, action = clock.now(), callback_data.action
    try:
        if action is TriageAction.CONTACT:
            result, card = await triage.to_contact(
                uow, member, callback_data.conversation_id, _("Telegram bot"), now,
                compose_touch=for_reader(duplicate_texts.touch_notice), quiet=settings.quiet())
        else:
            card = await triage.act(uow, member, callback_data.conversation_id, action, now)
    except DomainError as exc:
        await query.answer(_refusal(exc), show_alert=True)
        return
    await query.answer({
        TriageAction.CLAIM: _("It is yours."),
        TriageAction.SPAM: _("Marked as spam: this sender is muted."),
        TriageAction.READ: _("Marked as read."),
        TriageAction.CONTACT: _("Saved as a contact; its card follows."),
    }[action])
    await edit_pressed(query, ct.triage_card(card, now), reply_markup=ct.triage_keyboard(card))
    if card.history:
        await _send_private_copy(bot, uow, member, card)


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
    return labels.error(exc)


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="triage")
    r.callback_query.filter(HasRole(*INTAKE_ROLES))
    r.callback_query.register(act, TriageAct.filter())
    return r
