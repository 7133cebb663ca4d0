"""Timed jobs. Each reads its work from the database (a restart loses nothing), handles every
item in its own transaction together with the messages it queues, then wakes the sender."""

from datetime import timedelta

from domain.conversations import RelayStatus
from domain.errors import DomainError
from domain.followup_rules import NagAction
from domain.outbox import Enqueue
from scheduler.context import JobContext
from services import answers, autodispatch, duplicates, nags, notify, relay
from services.cards import build_card
from views import conversation_texts, duplicate_texts, keyboards, texts
from views.offers import offer_message


async def expire_offers(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await uow.offers.due_to_expire(now)
    for offer in due:
        async with ctx.uow() as uow:
            if not await answers.expire_offer(uow, offer, now):
                continue
            view = await build_card(uow, offer.contact_id, now)
            dm = await uow.offers.dm(offer.id)
            with ctx.texts():
                if dm:  # the multiplier's Yes / No stop working
                    await uow.outbox.add(Enqueue(chat_id=dm[0], edit_message_id=dm[1],
                                                 text=texts.offer_expired_dm()), now)
                notice = texts.offer_expired_notice(view.contact, view.names[offer.multiplier_id])
                await notify.to_realtime_dispatchers(uow, notice, now, ctx.quiet)
            await uow.commit()


async def auto_dispatch(ctx: JobContext) -> None:
    """The next automatic offer for every contact auto-dispatch still owns, or the hand-over."""
    now, ttl = ctx.clock.now(), timedelta(hours=ctx.settings.offer_ttl_hours)
    async with ctx.uow() as uow:
        waiting = await autodispatch.waiting(uow)
    for contact_id in waiting:
        async with ctx.uow() as uow:
            with ctx.texts():
                try:
                    step = await autodispatch.step(uow, contact_id, now, ctx.settings.offer_days,
                                                   ttl, offer_message)
                except DomainError:  # a dispatcher acted on it meanwhile
                    continue
                if step is None:
                    continue
                if step.handed_over:
                    await notify.to_team(
                        uow, texts.auto_handover(step.card, step.handed_over), now,
                        dedupe_key=f"auto-handover:{contact_id}:{now.isoformat()}")
            await uow.commit()


async def nag_followups(ctx: JobContext) -> None:
    now, policy = ctx.clock.now(), ctx.nag_policy
    async with ctx.uow() as uow:
        due = await nags.due_nags(uow, policy, now)
    for item in due:
        contact = item.contact
        async with ctx.uow() as uow:
            with ctx.texts():
                view, since = None, contact.stage_changed_at or contact.created_at
                if item.action is NagAction.NAG:
                    if not await nags.record_nag(uow, contact, now):
                        continue
                    await notify.to_member(
                        uow, item.assignee, texts.nag(contact, since, now), now, ctx.quiet,
                        reply_markup=keyboards.stages(contact.id, contact.status).model_dump_json(),
                        dedupe_key=f"nag:{contact.id}:{contact.nag_count + 1}:{since.isoformat()}")
                else:
                    view = await nags.escalate(uow, contact, now)
                    if view is None:
                        continue
                    await notify.to_team(
                        uow, texts.escalation(contact, item.assignee, contact.nag_count), now,
                        reply_markup=keyboards.escalation(contact.id).model_dump_json(),
                        dedupe_key=f"escalate:{contact.id}:{since.isoformat()}")
            await uow.commit()


async def auto_close(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await nags.due_auto_close(uow, timedelta(days=ctx.settings.auto_close_days), now)
    for contact in due:
        async with ctx.uow() as uow:
            view = await nags.auto_close(uow, contact, now)
            if view is None:
                continue
            with ctx.texts():
                await notify.to_realtime_dispatchers(uow, texts.auto_closed_notice(contact), now,
                                                    ctx.quiet)
            await uow.commit()


async def conversation_statuses(ctx: JobContext) -> None:
    """'Multiplier not responding' after a silence; closed when the seeker never answered
    the first message. The multiplier hears of both; dispatchers read them in digests."""
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await relay.due_statuses(uow, ctx.settings.relay_policy(), now)
    for move in due:
        conv, contact = move.conversation, move.contact
        async with ctx.uow() as uow:
            moved, view = await relay.apply_status(uow, move, now)
            if not moved:
                continue
            with ctx.texts():
                if move.to is RelayStatus.NOT_RESPONDING:
                    since = max(conv.last_in_at or conv.created_at, conv.handler_since or now)
                    text = conversation_texts.not_responding(conv, contact.id, since, now)
                else:
                    text = conversation_texts.closed_no_answer(conv, contact.id)
                if move.assignee is not None and move.assignee.active:
                    await notify.to_member(uow, move.assignee, text, now, ctx.quiet,
                                           dedupe_key=f"conv:{conv.id}:{move.to.value}:"
                                                      f"{(conv.last_in_at or now).isoformat()}")
            await uow.commit()


#: Contacts checked per run: a backlog (e.g. after the migration) drains over several runs.
DUPLICATE_BATCH = 500


async def find_missed_duplicates(ctx: JobContext) -> None:
    """Contacts intake never checked (rows from before detection existed, or an intake that
    failed half-way) are checked once; new suspects go on their cards and the team hears."""
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        unchecked = await uow.contacts.unchecked(DUPLICATE_BATCH)
    found = 0
    for contact in unchecked:
        async with ctx.uow() as uow:
            new = await duplicates.recheck(uow, contact, now)
        found += len(new)
    if found:
        async with ctx.uow() as uow:
            with ctx.texts():
                await notify.to_team(uow, duplicate_texts.missed_notice(found), now)
            await uow.commit()
