"""The outbox sender: drains queued messages within Telegram's flood limits.

Delivery guarantee: a row is marked 'sending' (committed) before its Bot API call and 'sent'
right after. Rows still 'sending' when the process died are queued again at start-up, so
nothing is lost; a row recorded as sent is never sent again. The one message per chat that
may repeat is one Telegram accepted in the instant between its answer and our commit.
"""

import asyncio
import bisect
import contextlib
import logging
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
from scheduler.limits import FloodLimits
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
    def __init__(self, bot: Bot, session_factory: async_sessionmaker, clock: Clock,
                 limits: FloodLimits, poll_seconds: float = 5.0, batch: int = 500,
                 per_chat: int = 5) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.clock = clock
        self.limits = limits
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.per_chat = per_chat  # rows a chat's worker holds: an alarm waits at most these
        self.on_unreachable: OnUnreachable | None = None
        self.on_stale_offer: OnStaleOffer | None = None
        self.render: Render | None = None
        self._wake = asyncio.Event()
        self._chat_tasks: dict[int, asyncio.Task] = {}
        self._chat_queues: dict[int, list[OutgoingMessage]] = defaultdict(list)
        self._held: dict[int, datetime] = {}  # chat -> until (after a 429): order is kept
        self._backlog: set[int] = set()  # chats with due rows their full worker could not take

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        async with UnitOfWork(self.session_factory) as uow:
            if requeued := await uow.outbox.requeue_interrupted():
                log.warning("outbox rows interrupted by a stop were queued again",
                            extra={"count": requeued})
            await uow.commit()
        try:
            while True:
                self._wake.clear()
                if not await self.fill():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
        finally:
            for task in self._chat_tasks.values():
                task.cancel()

    async def fill(self) -> int:
        """Claim due rows, most urgent first, and hand them to per-chat workers. A worker
        holds a few rows only, in priority order, so an alarm queued behind a long backlog
        of cards is claimed as soon as one goes out and is sent next."""
        now = self.clock.now()
        self._held = {chat: until for chat, until in self._held.items() if until > now}
        async with UnitOfWork(self.session_factory) as uow:
            rows = self._wanted(await uow.outbox.due(now, self.batch, self.per_chat))
            claimed = [r for r in rows if await uow.outbox.claim(r.id)]
            await uow.commit()
        for row in claimed:
            bisect.insort(self._chat_queues[row.chat_id], row, key=_send_order)
            if row.chat_id not in self._chat_tasks:
                self._chat_tasks[row.chat_id] = asyncio.create_task(self._drain_chat(row.chat_id))
        return len(claimed)

    def _wanted(self, rows: list[OutgoingMessage]) -> list[OutgoingMessage]:
        """None for a held chat (order is kept), and no more than `per_chat` in a worker's hands."""
        taken = Counter({chat: len(queue) for chat, queue in self._chat_queues.items()})
        wanted = []
        for row in rows:
            if row.chat_id in self._held:
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
                # the chat's own spacing is waited for outside the overall line; its token
                # is taken after the overall turn, so the spacing is measured at the send
                chat = await self.limits.chat_ready(chat_id)
                backlog = len(queue) + 1 + (self.per_chat if chat_id in self._backlog else 0)
                await self.limits.overall.acquire(priority=-backlog)
                async with chat:
                    held_until = await self._deliver(message)
                message = None
                if chat_id in self._backlog:  # room now: claim what waits (an alarm first)
                    self._backlog.discard(chat_id)
                    self.wake()
                if held_until is not None:  # the chat is throttled: the rest waits too
                    self._held[chat_id] = held_until
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

    async def _deliver(self, message: OutgoingMessage):  # type: ignore[no-untyped-def]
        """Send one row; returns the time to hold the chat until after a retryable failure."""
        if self.render is not None:
            rendered = await self.render(message)
            if rendered is None:
                async with UnitOfWork(self.session_factory) as uow:
                    await delivery.dropped(uow, message)
                return None
            message = rendered
        try:
            sent_id = await self._call(message)
        except TelegramAPIError as exc:
            return await self._failed(message, exc)
        async with UnitOfWork(self.session_factory) as uow:
            stale = await delivery.delivered(uow, message, sent_id, self.clock.now())
        if stale and sent_id and self.on_stale_offer is not None:
            await self.on_stale_offer(message.chat_id, sent_id)
        return None

    async def _call(self, message: OutgoingMessage) -> int | None:
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
                await uow.outbox.retry(message.id, exc.message, until)
                await uow.commit()
            return until
        async with UnitOfWork(self.session_factory) as uow:
            unreachable = outcome is DeliveryOutcome.BLOCKED or "chat not found" in exc.message
            result = await delivery.undeliverable(uow, message, exc.message, now, unreachable)
        if result is not None and self.on_unreachable is not None:
            await self.on_unreachable(result)
        return None

    async def _requeue(self, rows: list[OutgoingMessage], until) -> None:  # type: ignore[no-untyped-def]
        async with UnitOfWork(self.session_factory) as uow:
            for row in rows:
                await uow.outbox.release(row.id, until)
            await uow.commit()


def _send_order(message: OutgoingMessage) -> tuple[int, int]:
    """The claim query's order (storage: OutboxRepository.due), kept in a worker's queue."""
    return priority(message.purpose), message.id


_STATUS = [(TelegramRetryAfter, 429), (TelegramForbiddenError, 403), (TelegramNotFound, 404),
           (TelegramBadRequest, 400), (TelegramServerError, 500), (TelegramNetworkError, None)]


def _status(exc: TelegramAPIError) -> int | None:
    """aiogram raises a class per answer; the core's rules speak HTTP status codes."""
    return next((code for cls, code in _STATUS if isinstance(exc, cls)), 400)
