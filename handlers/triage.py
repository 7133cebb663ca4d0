"""Operators' buttons on a seeker's triage card in the team chat."""

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from domain.clock import Clock
from domain.conversations import TriageAction
from domain.errors import DomainError
from domain.members import Member
from domain.roles import INTAKE_ROLES
from handlers import conversation_texts as ct
from handlers import duplicate_texts, labels, texts
from handlers.callbacks import TriageAct
from handlers.filters import HasRole
from handlers.posting import edit_pressed, publish_card, refresh_card
from scheduler.sender import OutboxSender
from services import notify, triage
from services.intake import IntakeResult
from storage.uow import UnitOfWork


async def act(query: CallbackQuery, callback_data: TriageAct, member: Member, uow: UnitOfWork,
              clock: Clock, bot: Bot, settings: Settings, sender: OutboxSender,
              team_chat_id: int | None, autodispatch: Callable[[], None]) -> None:
    now, action = clock.now(), callback_data.action
    try:
        if action is TriageAction.CONTACT:
            result, card = await triage.to_contact(
                uow, member, callback_data.conversation_id, _("Telegram bot"), now,
                compose_touch=duplicate_texts.touch_notice, quiet=settings.quiet())
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
    if action is TriageAction.CONTACT:
        await _publish(result, uow, bot, settings, sender, team_chat_id, now)
        autodispatch()


async def _publish(result: IntakeResult, uow: UnitOfWork, bot: Bot, settings: Settings,
                   sender: OutboxSender, team_chat_id: int | None, now: datetime) -> None:
    """A new contact's card, or the stored contact's card redrawn with the new touch."""
    if not result.created:
        sender.wake()  # the touch notice
        await refresh_card(bot, result.card, now)
        return
    await notify.ping_dispatchers(uow, texts.new_contact_notice(result.contact), now,
                                  settings.quiet())
    sender.wake()
    await publish_card(bot, uow, team_chat_id, result.card, now)
    for other in result.suspect_cards:
        await refresh_card(bot, other, now)


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
