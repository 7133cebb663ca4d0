"""The open pool's dispatcher buttons on a team card: open a waiting contact to every
eligible multiplier nearby, or close its pool. (An invitee's Take / Not me is an answer to
a kind of offer: handlers.offers.)"""

from aiogram import Router
from aiogram.types import CallbackQuery

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.pool import InvitationState
from domain.roles import DISPATCH_ROLES
from services import pool
from services.options import Options
from storage.uow import UnitOfWork
from views import labels, pool_texts
from views.callbacks import PoolAct
from views.filters import HasRole


async def pool_act(query: CallbackQuery, callback_data: PoolAct, member: Member,
                   uow: UnitOfWork, clock: Clock, settings: Options) -> None:
    """The card is redrawn through the outbox; the presser gets a toast."""
    try:
        if callback_data.open:
            view = await pool.open_pool(uow, member, callback_data.contact_id, clock.now(),
                                        settings.offer_days)
        else:
            await pool.withdraw(uow, member, callback_data.contact_id, clock.now())
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    if callback_data.open:
        invited = sum(i.state is InvitationState.PENDING for i in view.invitations)
        await query.answer(pool_texts.opened(invited))
    else:
        await query.answer(pool_texts.withdrawn())


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="pool")
    r.callback_query.filter(HasRole(*DISPATCH_ROLES))
    r.callback_query.register(pool_act, PoolAct.filter())
    return r
