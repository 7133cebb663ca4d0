"""What the sender reports back: someone cannot be reached; an offer arrived too late."""

from domain.delivery import Purpose
from domain.outbox import Enqueue
from scheduler.context import JobContext
from services import languages, notify
from services.delivery import Unreachable
from views import texts
from views.language import for_reader, words


async def tell_team_unreachable(ctx: JobContext, result: Unreachable) -> None:
    """Their withdrawn offer's card was queued by the withdrawal itself."""
    if not (result.first_time or result.card is not None):
        return
    now = ctx.clock.now()
    with ctx.texts():
        async with ctx.uow() as uow:
            await notify.to_team(uow, words(texts.unreachable_notice, result.member_name), now,
                                 purpose=Purpose.ALARM)
            await uow.commit()


async def close_stale_offer(ctx: JobContext, chat_id: int, message_id: int) -> None:
    now = ctx.clock.now()
    with ctx.texts():
        async with ctx.uow() as uow:
            locale = await languages.of_tg_user(uow, chat_id)  # a private chat: its user's
            await uow.outbox.add(Enqueue(chat_id=chat_id, edit_message_id=message_id,
                                         text=for_reader(texts.offer_closed_dm)(locale)), now)
            await uow.commit()
