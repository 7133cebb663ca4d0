"""Timed jobs. Each reads its work from the database (a restart loses nothing) and hands
every item to one use case, in its own transaction together with the messages it queues.
Jobs hold no rules: they give the use cases the time, the settings and the words."""

from datetime import datetime, timedelta

from domain.contacts import Contact
from domain.conversations import RelayStatus
from domain.members import Member
from scheduler.context import JobContext
from services import (
    answers,
    autodispatch,
    duplicates,
    nags,
    notify,
    pool,
    relay,
    satisfaction,
    undispatched,
)
from storage.repositories.updates import forget_updates
from views import conversation_texts, duplicate_texts, keyboards, texts
from views.offers import offer_message
from views.language import for_reader, words


async def expire_offers(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await answers.due_to_expire(uow, now)
    for offer in due:
        async with ctx.uow() as uow:
            await answers.expire_due(uow, offer, now, ctx.quiet)


async def lapse_pools(ctx: JobContext) -> None:
    """Open pools nobody took within an offer's time to answer end like unanswered offers."""
    now, ttl = ctx.clock.now(), timedelta(hours=ctx.settings.offer_ttl_hours)
    async with ctx.uow() as uow:
        due = await pool.lapsing(uow, now, ttl)
    for contact_id in due:
        async with ctx.uow() as uow:
            await pool.lapse(uow, contact_id, now, ttl)


async def auto_dispatch(ctx: JobContext) -> None:
    """The next automatic offer for every contact auto-dispatch still owns, or the hand-over."""
    now, ttl = ctx.clock.now(), timedelta(hours=ctx.settings.offer_ttl_hours)
    async with ctx.uow() as uow:
        waiting = await autodispatch.waiting(uow)
    for contact_id in waiting:
        async with ctx.uow() as uow:
            with ctx.texts():
                await autodispatch.run_one(uow, contact_id, now, ctx.settings.offer_days, ttl,
                                           for_reader(offer_message),
                                           for_reader(texts.auto_handover))


async def nag_followups(ctx: JobContext) -> None:
    now = ctx.clock.now()

    @for_reader
    def nag(contact: Contact, since: datetime) -> tuple[str, str]:
        return (texts.nag(contact, since, now),
                keyboards.stages(contact.id, contact.status).model_dump_json())

    @for_reader
    def escalation(contact: Contact, multiplier: Member) -> tuple[str, str]:
        return (texts.escalation(contact, multiplier, contact.nag_count),
                keyboards.escalation(contact.id).model_dump_json())

    async with ctx.uow() as uow:
        due = await nags.due_nags(uow, ctx.nag_policy, now)
    for item in due:
        async with ctx.uow() as uow:
            with ctx.texts():
                await nags.act(uow, item, now, ctx.quiet, nag, escalation)


async def auto_close(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await nags.due_auto_close(uow, timedelta(days=ctx.settings.auto_close_days), now)
    for contact in due:
        async with ctx.uow() as uow:
            await nags.auto_close(uow, contact, now, ctx.quiet)


async def undispatched_alarms(ctx: JobContext) -> None:
    """The team chat's alarm for each contact left waiting for dispatch too long (once per wait)."""
    hours = ctx.settings.undispatched_alarm_hours
    if not hours:
        return
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await undispatched.due(uow, timedelta(hours=hours), ctx.quiet, now)
    if len(due) > undispatched.BURST:
        async with ctx.uow() as uow:
            with ctx.texts():
                await undispatched.raise_together(uow, due, hours, now,
                                                  for_reader(_undispatched_alarms))
        return
    for contact in due:
        async with ctx.uow() as uow:
            with ctx.texts():
                await undispatched.raise_alarm(uow, contact, hours, now,
                                               for_reader(_undispatched_alarm))


def _undispatched_alarm(contact: Contact, hours: int) -> tuple[str, str | None]:
    return (texts.undispatched_alarm(contact, hours),
            keyboards.open_contact(contact.id).model_dump_json())


def _undispatched_alarms(contacts: list[Contact], hours: int) -> tuple[str, str | None]:
    return texts.undispatched_alarms(contacts, hours), None


async def conversation_statuses(ctx: JobContext) -> None:
    """'Multiplier not responding' after a silence; closed when the seeker never answered
    the first message. The multiplier hears of both; dispatchers read them in digests."""
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await relay.due_statuses(uow, ctx.settings.relay_policy(), now)
    for move in due:
        async with ctx.uow() as uow:
            with ctx.texts():
                await relay.apply_status(uow, move, now, ctx.quiet, for_reader(_status_text))


async def satisfaction_checks(ctx: JobContext) -> None:
    """SATISFACTION_CHECK_DAYS after a seeker met their multiplier: did it help?"""
    days = ctx.settings.satisfaction_check_days
    if not days:
        return
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        due = await satisfaction.due(uow, timedelta(days=days), now)
    for conv in due:
        async with ctx.uow() as uow:
            with ctx.texts():
                await satisfaction.ask(uow, conv, now,
                                       for_reader(conversation_texts.satisfaction_question))
    async with ctx.uow() as uow:  # as long again without an answer: raised like a "no"
        silent = await satisfaction.unanswered(uow, timedelta(days=days), now)
    for conv in silent:
        async with ctx.uow() as uow:
            with ctx.texts():
                await satisfaction.raise_silence(uow, conv, now,
                                                 for_reader(conversation_texts.unsatisfied_note))


def _status_text(move: relay.StatusMove, now: datetime) -> str:
    conv, contact_id = move.conversation, move.contact.id
    if move.to is RelayStatus.NOT_RESPONDING:
        since = max(conv.last_in_at or conv.created_at, conv.handler_since or now)
        return conversation_texts.not_responding(conv, contact_id, since, now)
    return conversation_texts.closed_no_answer(conv, contact_id)


#: Contacts checked per run: a backlog (e.g. after the migration) drains over several runs.
DUPLICATE_BATCH = 500
#: Contacts re-keyed per run after the way name blocks are computed changed (KEYS_VERSION).
REKEY_BATCH = 5000


async def find_missed_duplicates(ctx: JobContext) -> None:
    """Contacts intake never checked (rows from before detection existed, or an intake that
    failed half-way) are checked once; new suspects go on their cards and the team hears."""
    now = ctx.clock.now()
    async with ctx.uow() as uow:  # rows keyed by an older version of the name blocks
        await duplicates.rekey(uow, REKEY_BATCH)
    async with ctx.uow() as uow:
        unchecked = await duplicates.unchecked(uow, DUPLICATE_BATCH)
    found = 0
    for contact in unchecked:
        async with ctx.uow() as uow:
            found += len(await duplicates.recheck(uow, contact, now))
    if found:
        async with ctx.uow() as uow:
            with ctx.texts():
                await notify.tell_team(uow, words(duplicate_texts.missed_notice, found), now)


#: How long a handled update id is remembered to drop Telegram's redeliveries (which come
#: within hours): long enough for any redelivery, short enough that the table stays small.
KEEP_UPDATE_IDS = timedelta(days=7)


async def forget_old_updates(ctx: JobContext) -> None:
    await forget_updates(ctx.session_factory, ctx.clock.now() - KEEP_UPDATE_IDS)
