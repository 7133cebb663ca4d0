"""Faith milestones of a held contact: the holder, a dispatcher or an admin opens the
multi-select and ticks (or unticks) a milestone; the use case re-checks every press."""

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from services import milestones
from services.options import Options
from storage.uow import UnitOfWork
from views import keyboards, labels, record_texts
from views.callbacks import Milestones, Tick
from views.filters import HasRole
from views.replies import edit_pressed, reply_to_press


async def open_menu(query: CallbackQuery, callback_data: Milestones, member: Member,
                    uow: UnitOfWork, settings: Options) -> None:
    try:
        shown = await milestones.milestones(uow, member, callback_data.contact_id)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    zone = member.timezone or settings.team_timezone
    await reply_to_press(query, record_texts.milestones_menu(shown.contact, shown.reached, zone),
                         reply_markup=keyboards.milestones(shown.contact.id, shown.reached))


async def tick(query: CallbackQuery, callback_data: Tick, member: Member, uow: UnitOfWork,
               clock: Clock, settings: Options) -> None:
    try:
        done = await milestones.toggle(uow, member, callback_data.contact_id,
                                       callback_data.milestone, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    name = labels.milestone(callback_data.milestone)
    await query.answer(_("✅ {milestone}").format(milestone=name) if done.ticked
                       else _("Taken back: {milestone}").format(milestone=name))
    zone = member.timezone or settings.team_timezone
    await edit_pressed(query, record_texts.milestones_menu(done.contact, done.reached, zone),
                       reply_markup=keyboards.milestones(done.contact.id, done.reached))


def router() -> Router:
    r = Router(name="milestones")
    r.callback_query.filter(HasRole(Role.MULTIPLIER, *DISPATCH_ROLES))
    r.callback_query.register(open_menu, Milestones.filter())
    r.callback_query.register(tick, Tick.filter())
    return r
