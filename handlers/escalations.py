"""Dispatchers answer 'multiplier not responding', and open cards from their digest."""

from aiogram import Bot, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.roles import DISPATCH_ROLES
from services import dispatch, escalations
from storage.uow import UnitOfWork
from views import keyboards, labels, texts
from views.callbacks import Escalation, OpenCard
from views.filters import HasRole
from views.replies import edit_pressed, reply_to_press
from views.language import for_reader

ACTIONS = ("reassign", "remind", "more_time")


async def answer(query: CallbackQuery, callback_data: Escalation, member: Member, uow: UnitOfWork,
                 clock: Clock, bot: Bot) -> None:
    if callback_data.action not in ACTIONS:
        await query.answer(_("This button is out of date or invalid."), show_alert=True)
        return
    now = clock.now()

    def compose_nag(contact) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        return (texts.nag(contact, contact.stage_changed_at or contact.created_at, now),
                keyboards.stages(contact.id, contact.status).model_dump_json())

    try:
        await escalations.answer(uow, member, callback_data.contact_id,
                                        callback_data.action, now, for_reader(compose_nag))
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer({
        "reassign": _("Back in the queue for dispatch."),
        "remind": _("Reminder sent."),
        "more_time": _("The clock starts again."),
    }[callback_data.action])
    await edit_pressed(query, reply_markup=None)


async def open_card(query: CallbackQuery, callback_data: OpenCard, member: Member,
                    uow: UnitOfWork, clock: Clock, bot: Bot) -> None:
    try:
        view = await dispatch.card(uow, member, callback_data.contact_id, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await reply_to_press(query, texts.card(view, clock.now()), reply_markup=keyboards.card(view))


def router() -> Router:
    r = Router(name="escalations")
    r.callback_query.filter(HasRole(*DISPATCH_ROLES))
    r.callback_query.register(answer, Escalation.filter())
    r.callback_query.register(open_card, OpenCard.filter())
    return r
