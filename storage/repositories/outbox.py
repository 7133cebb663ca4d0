"""The outbox: queued -> sending -> sent | failed, with attempts and the last error."""

from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.delivery import DEFAULT_PRIORITY, PRIORITY
from domain.outbox import Enqueue, OutgoingMessage
from storage.models import OutboxRow


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._added = 0

    def take_added(self) -> int:
        """Rows added since the last call (the unit of work wakes the sender for them)."""
        added, self._added = self._added, 0
        return added

    async def queued(self, purpose: str, ref_id: int) -> int | None:
        """The id of a row for this purpose and reference that waits to be sent (not yet
        claimed)."""
        return await self.session.scalar(
            select(OutboxRow.id).where(OutboxRow.purpose == purpose, OutboxRow.ref_id == ref_id,
                                       OutboxRow.status == "queued").limit(1))

    async def add(self, message: Enqueue, now: datetime) -> bool:
        """False if a message with the same dedupe key was queued before (a job re-run)."""
        if message.dedupe_key and await self.session.scalar(
            select(OutboxRow.id).where(OutboxRow.dedupe_key == message.dedupe_key)
        ):
            return False
        values = {**message.__dict__, "not_before": message.not_before or now}
        self.session.add(OutboxRow(created_at=now, status="queued", attempts=0, **values))
        await self.session.flush()
        self._added += 1
        return True

    async def due(self, now: datetime, limit: int, per_chat: int) -> list[OutgoingMessage]:
        """Queued rows due now, most urgent first (domain.delivery.PRIORITY, then queue order),
        at most `per_chat` of each chat: one busy chat's backlog never fills the batch."""
        order = (_priority(), OutboxRow.id)
        place = func.row_number().over(partition_by=OutboxRow.chat_id, order_by=order)
        waiting = (select(OutboxRow.id, place.label("place"))
                   .where(OutboxRow.status == "queued", OutboxRow.not_before <= now)
                   .subquery())
        rows = await self.session.scalars(
            select(OutboxRow).join(waiting, waiting.c.id == OutboxRow.id)
            .where(waiting.c.place <= per_chat).order_by(*order).limit(limit))
        return [
            OutgoingMessage(r.id, r.chat_id, r.member_id, r.text, r.reply_markup,
                            r.edit_message_id, r.purpose, r.ref_id, r.attempts, r.kind, r.file_id)
            for r in rows
        ]

    async def claim(self, message_id: int) -> bool:
        """queued -> sending, committed before the Bot API call (see README: delivery)."""
        return await self._move(message_id, "queued", status="sending")

    async def sent(self, message_id: int, tg_message_id: int | None, now: datetime) -> None:
        await self._move(message_id, "sending", status="sent", sent_at=now,
                         tg_message_id=tg_message_id, attempts=OutboxRow.attempts + 1)

    async def retry(self, message_id: int, error: str, not_before: datetime) -> None:
        await self._move(message_id, "sending", status="queued", last_error=error,
                         not_before=not_before, attempts=OutboxRow.attempts + 1)

    async def failed(self, message_id: int, error: str) -> None:
        await self._move(message_id, "sending", status="failed", last_error=error,
                         attempts=OutboxRow.attempts + 1)

    async def release(self, message_id: int, not_before: datetime) -> None:
        """Back to the queue unattempted, e.g. behind a throttled message to the same chat."""
        await self._move(message_id, "sending", status="queued", not_before=not_before)

    async def cancel(self, purpose: str, ref_id: int) -> None:
        """A message not yet sent whose reason went away (e.g. a withdrawn offer) stays unsent."""
        await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.purpose == purpose, OutboxRow.ref_id == ref_id,
                   OutboxRow.status == "queued")
            .values(status="cancelled")
        )

    async def requeue_interrupted(self) -> int:
        """Rows left 'sending' by a killed process go out again (at least once)."""
        result = await self.session.execute(
            update(OutboxRow).where(OutboxRow.status == "sending").values(status="queued")
        )
        return result.rowcount

    async def _move(self, message_id: int, expected: str, **values: object) -> bool:
        result = await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.status == expected)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def _priority():  # type: ignore[no-untyped-def]
    """A row's send priority from its purpose, as SQL (no stored column to keep in step)."""
    return case({str(p): n for p, n in PRIORITY.items()}, value=OutboxRow.purpose,
                else_=DEFAULT_PRIORITY)
