"""What the sender reports back: someone cannot be reached; an offer arrived too late."""

from domain.delivery import Purpose
from domain.outbox import Enqueue
from scheduler.context import JobContext
from services import notify
from services.delivery import Unreachable
from views import texts


async def tell_team_unreachable(ctx: JobContext, result: Unreachable) -> None:
    """Their withdrawn offer's card was queued by the withdrawal itself."""
    if not (result.first_time or result.card is not None):
        return
    now = ctx.clock.now()
    with ctx.texts():
        async with ctx.uow() as uow:
            await notify.to_team(uow, texts.unreachable_notice(result.member_name), now,
                                 purpose=Purpose.ALARM)
            await uow.commit()


async def close_stale_offer(ctx: JobContext, chat_id: int, message_id: int) -> None:
    now = ctx.clock.now()
    with ctx.texts():
        async with ctx.uow() as uow:
            await uow.outbox.add(Enqueue(chat_id=chat_id, edit_message_id=message_id,
                                         text=texts.offer_closed_dm()), now)
            await uow.commit()
