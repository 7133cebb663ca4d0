"""The outbox sender: drains queued messages within Telegram's flood limits.

Delivery guarantee: a row is claimed — marked 'sending' under this replica's lease
(committed) — before its Bot API call, and marked 'sent' right after. The lease is renewed
while the replica lives; a row whose sender died is taken over by any replica once its lease
ran out (at start-up at once, by a process that knows it is alone), so nothing is lost; a row
recorded as sent is never sent again. The one message per chat that may repeat is one
Telegram accepted in the instant between its answer and our commit. A chat's rows go through
one replica at a time (storage: OutboxRepository.claim), so its messages keep their order.
"""

import asyncio
import bisect
import contextlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import Clock
from domain.conversations import Kind
from domain.delivery import (
    MAX_ATTEMPTS,
    DeliveryOutcome,
    classify_failure,
    priority,
    retry_delay,
)
from domain.outbox import OutgoingMessage
from scheduler.direct_answers import IN_OUTBOX
from scheduler.limits import Limits
from scheduler.replica import replica_id
from services import delivery
from storage.uow import UnitOfWork
from views import relay_media
from views.texts import fit

log = logging.getLogger(__name__)

#: Called after a message failed for good because its member cannot be reached.
OnUnreachable = Callable[[delivery.Unreachable], Awaitable[None]]
#: Called with (chat id, message id) of an offer message that arrived after its offer closed.
OnStaleOffer = Callable[[int, int], Awaitable[None]]
#: Renders a row whose text is made when it is sent (scheduler.render); None: nothing to send.
Render = Callable[[OutgoingMessage], Awaitable[OutgoingMessage | None]]


class OutboxSender:
    """`alone`: no other replica shares the outbox (no REDIS_URL), so rows another process
    left 'sending' are a dead predecessor's and are taken over at start-up without waiting
    for their lease to run out."""

    def __init__(self, bot: Bot, session_factory: async_sessionmaker, clock: Clock,
                 limits: Limits, poll_seconds: float = 5.0, batch: int = 500,
                 per_chat: int = 5, *, owner: str | None = None, lease_seconds: float = 30.0,
                 alone: bool = True) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.clock = clock
        self.limits = limits
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.per_chat = per_chat  # rows a chat's worker holds: an alarm waits at most these
        self.owner = owner or replica_id()
        self.lease = timedelta(seconds=lease_seconds)
        self.alone = alone
        self._leased: dict[int, float] = {}  # rows held -> when (monotonic) their lease was set
        self.on_unreachable: OnUnreachable | None = None
        self.on_stale_offer: OnStaleOffer | None = None
        self.render: Render | None = None
        self._wake = asyncio.Event()
        self._filling = asyncio.Lock()
        self._chat_tasks: dict[int, asyncio.Task] = {}
        self._chat_queues: dict[int, list[OutgoingMessage]] = defaultdict(list)
        self._held: dict[int, datetime] = {}  # chat -> until (after a 429): order is kept
        self._backlog: set[int] = set()  # chats with due rows their full worker could not take

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        if self.alone:
            async with UnitOfWork(self.session_factory) as uow:
                if taken := await uow.outbox.end_leases(self.owner):
                    log.warning("outbox rows interrupted by a stop are sent again",
                                extra={"count": taken})
                await uow.commit()
        renewing = asyncio.create_task(self._keep_leases(), name="outbox-leases")
        try:
            while True:
                self._wake.clear()
                if not await self.fill():
                    await self._wait_for_wake()
        finally:
            renewing.cancel()
            waiting = [row for queue in self._chat_queues.values() for row in queue]
            for task in self._chat_tasks.values():
                task.cancel()
            if waiting:  # not yet attempted: back to the queue for another replica at once
                with contextlib.suppress(Exception):
                    await self._requeue(waiting, self.clock.now())

    async def _wait_for_wake(self) -> None:
        """Until woken or the poll interval passes. Not `asyncio.wait_for`: on Python 3.11
        it swallows a cancellation that arrives just as the event is set, and the sender
        outlived the stop that cancelled it (the bot's stop then waited forever)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.poll_seconds):
                await self._wake.wait()

    async def _keep_leases(self) -> None:
        """Renew the lease of every row this replica holds, a third of a lease apart, so a
        row waiting for its chat's turn or a slow send is never taken over while we live."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            started, held = time.monotonic(), list(self._leased)
            try:
                async with UnitOfWork(self.session_factory) as uow:
                    await uow.outbox.renew(self.owner, held, self.clock.now() + self.lease)
                    await uow.commit()
            except Exception:
                log.exception("outbox leases not renewed")
                continue
            for row_id in held:
                if row_id in self._leased:
                    self._leased[row_id] = max(self._leased[row_id], started)

    def _lease_held(self, message: OutgoingMessage) -> bool:
        """Our lease on the row surely still runs (a third of it kept as a margin for the
        send): past that, another replica may have taken the row over."""
        set_at = self._leased.get(message.id)
        return set_at is not None and \
            time.monotonic() - set_at < self.lease.total_seconds() * 2 / 3

    async def fill(self) -> int:
        """Claim due rows, most urgent first, and hand them to per-chat workers. A worker
        holds a few rows only, in priority order, so an alarm queued behind a long backlog
        of cards is claimed as soon as one goes out and is sent next."""
        async with self._filling:  # one claim at a time here; other replicas' are skipped
            return await self._fill()

    async def _fill(self) -> int:
        now = self.clock.now()
        self._held = {chat: until for chat, until in self._held.items() if until > now}
        started = time.monotonic()
        async with UnitOfWork(self.session_factory) as uow:
            rows = self._wanted(await uow.outbox.due(now, self.batch, self.per_chat, self.owner))
            claimed = await uow.outbox.claim(rows, self.owner, now, now + self.lease)
            await uow.commit()
        for row in claimed:
            self._leased[row.id] = started
            bisect.insort(self._chat_queues[row.chat_id], row, key=_send_order)
            if row.chat_id not in self._chat_tasks:
                self._chat_tasks[row.chat_id] = asyncio.create_task(self._drain_chat(row.chat_id))
        return len(claimed)

    def _wanted(self, rows: list[OutgoingMessage]) -> list[OutgoingMessage]:
        """None for a held chat (order is kept), and no more than `per_chat` in a worker's hands."""
        taken = Counter({chat: len(queue) for chat, queue in self._chat_queues.items()})
        wanted = []
        for row in rows:
            if row.chat_id in self._held or row.id in self._leased:  # ours already
                continue
            if taken[row.chat_id] < self.per_chat:
                taken[row.chat_id] += 1
                wanted.append(row)
            else:
                self._backlog.add(row.chat_id)
        return wanted

    async def idle(self) -> None:
        """Until every claimed row was attempted (tests and benchmarks wait on this)."""
        while self._chat_tasks:
            await asyncio.gather(*list(self._chat_tasks.values()), return_exceptions=True)

    async def _drain_chat(self, chat_id: int) -> None:
        queue = self._chat_queues[chat_id]
        message: OutgoingMessage | None = None
        try:
            while queue:
                message = queue.pop(0)  # out of the queue, so a claimed alarm goes before the rest
                # the chat's own spacing is waited for outside the overall line; the row is
                # rendered before the turns (a query: under load longer than their margins)
                # and the chat's token taken after the overall turn, right before the send
                chat = await self.limits.chat_ready(chat_id)
                rendered = await self._rendered(message)
                backlog = len(queue) + 1 + (self.per_chat if chat_id in self._backlog else 0)
                await self.limits.overall.acquire(priority=-backlog)
                async with chat:
                    # checked last, after the waits for turns (long on a stalled replica):
                    # past it the row may be another replica's, which sends it
                    if not self._lease_held(message):
                        self._lapsed(chat_id, [message, *queue])
                        message = None
                        queue.clear()
                        break
                    held_until = await self._deliver(message, rendered)
                self._let_go([message])
                message = None
                if chat_id in self._backlog:  # room now: claim what waits (an alarm first)
                    self._backlog.discard(chat_id)
                    self.wake()
                if held_until is not None:  # the chat is throttled: the rest waits too
                    self._held[chat_id] = held_until
                    await self.limits.hold(chat_id,
                                           (held_until - self.clock.now()).total_seconds())
                    await self._requeue(queue, held_until)
                    queue.clear()
        except Exception:  # e.g. the database went away: give the rows back, try later
            log.exception("outbox worker failed", extra={"chat_id": chat_id})
            unsent = [message, *queue] if message is not None else list(queue)
            await self._requeue(unsent, self.clock.now() + timedelta(seconds=self.poll_seconds))
            queue.clear()
        finally:
            self._chat_tasks.pop(chat_id, None)
            self._chat_queues.pop(chat_id, None)
            if queue:
                self.wake()

    def _lapsed(self, chat_id: int, rows: list[OutgoingMessage]) -> None:
        log.warning("outbox lease lapsed: rows left to whoever takes them over",
                    extra={"chat_id": chat_id, "count": len(rows)})
        self._let_go(rows)

    def _let_go(self, rows: list[OutgoingMessage]) -> None:
        """No longer ours to renew: done, given back, or left for a takeover."""
        for row in rows:
            self._leased.pop(row.id, None)

    async def _rendered(self, message: OutgoingMessage) -> OutgoingMessage | None:
        """The row as it is to be sent now; None when there is nothing left to send."""
        return message if self.render is None else await self.render(message)

    async def _deliver(self, message: OutgoingMessage,  # type: ignore[no-untyped-def]
                       rendered: OutgoingMessage | None):
        """Send one row; returns the time to hold the chat until after a retryable failure."""
        if rendered is None:
            async with UnitOfWork(self.session_factory) as uow:
                await delivery.dropped(uow, message)
            return None
        message = rendered
        try:
            sent_id = await self._call(message)
        except TelegramAPIError as exc:
            return await self._failed(message, exc)
        await self.limits.sent(message.chat_id)
        async with UnitOfWork(self.session_factory) as uow:
            stale = await delivery.delivered(uow, message, sent_id, self.clock.now())
        if stale and sent_id and self.on_stale_offer is not None:
            await self.on_stale_offer(message.chat_id, sent_id)
        return None

    async def _call(self, message: OutgoingMessage) -> int | None:
        """The Bot API call; it took its flood turns already (scheduler.direct_answers)."""
        token = IN_OUTBOX.set(True)
        try:
            return await self._request(message)
        finally:
            IN_OUTBOX.reset(token)

    async def _request(self, message: OutgoingMessage) -> int | None:
        markup = (InlineKeyboardMarkup.model_validate_json(message.reply_markup)
                  if message.reply_markup else None)
        if message.edit_message_id is None:
            sent = await relay_media.deliver(self.bot, message.chat_id, Kind(message.kind),
                                             fit(message.text), message.file_id, markup)
            return sent.message_id
        try:
            await self.bot.edit_message_text(text=fit(message.text), chat_id=message.chat_id,
                                             message_id=message.edit_message_id,
                                             reply_markup=markup)
        except TelegramBadRequest as exc:
            if "not modified" not in exc.message:
                raise
        return message.edit_message_id

    async def _failed(self, message: OutgoingMessage, exc: TelegramAPIError):  # type: ignore[no-untyped-def]
        outcome = classify_failure(_status(exc))
        now = self.clock.now()
        log.warning("outbox send failed", extra={"outbox_id": message.id, "chat_id": message.chat_id,
                                                  "outcome": outcome, "error": exc.message})
        if outcome is DeliveryOutcome.RETRY and message.attempts + 1 < MAX_ATTEMPTS:
            retry_after = exc.retry_after if isinstance(exc, TelegramRetryAfter) else None
            until = now + retry_delay(message.attempts + 1, retry_after)
            async with UnitOfWork(self.session_factory) as uow:
                await uow.outbox.retry(message, exc.message, until)
                await uow.commit()
            return until
        async with UnitOfWork(self.session_factory) as uow:
            unreachable = outcome is DeliveryOutcome.BLOCKED or "chat not found" in exc.message
            result = await delivery.undeliverable(uow, message, exc.message, now, unreachable)
        if result is not None and self.on_unreachable is not None:
            await self.on_unreachable(result)
        return None

    async def _requeue(self, rows: list[OutgoingMessage], until) -> None:  # type: ignore[no-untyped-def]
        """Back to the queue; if even that fails, the rows' leases run out (no longer renewed)
        and they are taken over then."""
        try:
            async with UnitOfWork(self.session_factory) as uow:
                for row in rows:
                    await uow.outbox.release(row, until)
                await uow.commit()
        finally:
            self._let_go(rows)


def _send_order(message: OutgoingMessage) -> tuple[int, int]:
    """The claim query's order (storage: OutboxRepository.due), kept in a worker's queue."""
    return priority(message.purpose), message.id


_STATUS = [(TelegramRetryAfter, 429), (TelegramForbiddenError, 403), (TelegramNotFound, 404),
           (TelegramBadRequest, 400), (TelegramServerError, 500), (TelegramNetworkError, None)]


def _status(exc: TelegramAPIError) -> int | None:
    """aiogram raises a class per answer; the core's rules speak HTTP status codes."""
    return next((code for cls, code in _STATUS if isinstance(exc, cls)), 400)
