"""What the sender reports back: someone cannot be reached; an offer arrived too late; and
what it asks: a queued card as it is now."""

from handlers import keyboards, texts
from handlers.posting import refresh_card
from scheduler.context import JobContext
from services import notify
from services.cards import build_card
from services.delivery import Unreachable
from storage.repositories.outbox import Enqueue
from storage.uow import UnitOfWork


async def tell_team_unreachable(ctx: JobContext, result: Unreachable) -> None:
    now = ctx.clock.now()
    with ctx.texts():
        if result.card is not None:
            await refresh_card(ctx.bot, result.card, now)
        if result.first_time or result.card is not None:
            async with UnitOfWork(ctx.session_factory) as uow:
                await notify.to_team(uow, texts.unreachable_notice(result.member_name), now)
                await uow.commit()
    ctx.sender.wake()


async def close_stale_offer(ctx: JobContext, chat_id: int, message_id: int) -> None:
    now = ctx.clock.now()
    with ctx.texts():
        async with UnitOfWork(ctx.session_factory) as uow:
            await uow.outbox.add(Enqueue(chat_id=chat_id, edit_message_id=message_id,
                                         text=texts.offer_closed_dm()), now)
            await uow.commit()
    ctx.sender.wake()


async def render_card(ctx: JobContext, contact_id: int) -> tuple[str, str | None]:
    now = ctx.clock.now()
    async with UnitOfWork(ctx.session_factory) as uow:
        view = await build_card(uow, contact_id, now)
        await uow.commit()
    with ctx.texts():
        markup = keyboards.card(view)
        return texts.card(view, now), markup.model_dump_json() if markup else None
