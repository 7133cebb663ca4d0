"""The outbox: queued -> sending -> sent | failed, with attempts and the last error.

A 'sending' row carries its sender's lease (claimed_by, lease_until): several replicas
drain one outbox, each chat through one replica at a time, and a row whose sender died is
taken over once its lease runs out (README: running several replicas)."""

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Row, and_, bindparam, case, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.delivery import DEFAULT_PRIORITY, PRIORITY
from domain.outbox import Enqueue, OutgoingMessage
from storage import locks
from storage.models import OutboxRow
from storage.repositories.mapping import columns, plain, write

#: Asked on every card redraw queued (services.card_queue.show), built once.
_QUEUED = select(OutboxRow.id).where(OutboxRow.purpose == bindparam("purpose"),
                                     OutboxRow.ref_id == bindparam("ref_id"),
                                     OutboxRow.status == "queued").limit(1)
#: Asked for every message with a dedupe key queued (jobs, digests, nags), built once.
_DEDUPED = select(OutboxRow.id).where(OutboxRow.dedupe_key == bindparam("key")).limit(1)
#: Every delivered message's move (see `_move`), built once: building and keying an UPDATE
#: cost more than running it, once per message sent.
#: One INSERT executed, not an ORM object flushed: every state change queues a message or two,
#: and the flush's bookkeeping cost more than the statement.
_ADD = insert(OutboxRow)
_SENT = (update(OutboxRow)
         .where(OutboxRow.id == bindparam("row"), OutboxRow.status == "sending",
                OutboxRow.claimed_by.is_not_distinct_from(
                    bindparam("owner", type_=OutboxRow.claimed_by.type)))
         .values(status="sent", lease_until=None, attempts=OutboxRow.attempts + 1,
                 sent_at=bindparam("at", type_=OutboxRow.sent_at.type),
                 tg_message_id=bindparam("tg_id", type_=OutboxRow.tg_message_id.type))
         .execution_options(synchronize_session=False))


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
        rows = await plain(self.session, _QUEUED, {"purpose": purpose, "ref_id": ref_id})
        return rows[0].id if rows else None

    async def add(self, message: Enqueue, now: datetime) -> bool:
        """False if a message with the same dedupe key was queued before (a job re-run)."""
        if message.dedupe_key and await plain(self.session, _DEDUPED, {"key": message.dedupe_key}):
            return False
        await write(self.session, _ADD, {**message.__dict__, "not_before": message.not_before or now,
                                          "created_at": now, "status": "queued", "attempts": 0})
        self._added += 1
        return True

    async def due(self, now: datetime, limit: int, per_chat: int,
                  owner: str) -> list[OutgoingMessage]:
        """Rows to claim now, most urgent first (domain.delivery.PRIORITY, then queue order),
        at most `per_chat` of each chat: one busy chat's backlog never fills the batch.
        Queued rows that are due, and rows whose sender's lease ran out (it died mid-send);
        none of a chat another replica holds a live lease in (one sender per chat)."""
        rows = await plain(self.session, _DUE, {"now": now, "owner": owner,
                                                "per_chat": per_chat, "limit": limit})
        return [_message(r) for r in rows]

    async def claim(self, rows: list[OutgoingMessage], owner: str, now: datetime,
                    lease_until: datetime) -> list[OutgoingMessage]:
        """queued (or lease run out) -> sending under `owner`'s lease, committed before the
        Bot API call (see README: delivery). Returns the rows this replica got, in order.

        On PostgreSQL each chat is first locked for this transaction (skipped if another
        replica is claiming it right now), so the check that no other replica holds the chat
        and the claim are one step; the rows themselves are locked with SKIP LOCKED. SQLite's
        BEGIN IMMEDIATE makes the whole transaction one writer's already."""
        chats = {row.chat_id for row in rows}
        if chats and self.session.get_bind().dialect.name == "postgresql":
            chats = await self._lock_chats(chats)
        if chats:
            held = await plain(self.session, _HELD_AMONG,
                               {"owner": owner, "now": now, "chats": sorted(chats)})
            chats -= {chat for chat, in held}
        wanted = [row.id for row in rows if row.chat_id in chats]
        if not wanted:
            return []
        got = set(await self.session.scalars(_CLAIM, {
            "wanted": wanted, "now": now, "claimer": owner, "lease": lease_until}))
        return [replace(row, claimed_by=owner) for row in rows if row.id in got]

    async def _lock_chats(self, chats: set[int]) -> set[int]:
        """The chats no other transaction is claiming right now, locked to the end of ours
        (one statement: a try-lock per chat)."""
        ordered = sorted(chats)
        got = await self.session.execute(
            text("SELECT chat FROM unnest(CAST(:chats AS bigint[]), CAST(:keys AS int[])) "
                 "AS wanted(chat, key) WHERE pg_try_advisory_xact_lock(:space, key)"),
            {"chats": ordered, "keys": [locks.int4(c) for c in ordered], "space": locks.CHAT})
        return {row.chat for row in got}

    async def renew(self, owner: str, ids: list[int], lease_until: datetime) -> int:
        """Extend the lease of the rows this replica still holds (it is alive); a row it let
        go keeps its old lease, which runs out, and is taken over."""
        if not ids:
            return 0
        result = await self.session.execute(
            update(OutboxRow).where(OutboxRow.id.in_(ids), OutboxRow.status == "sending",
                                    OutboxRow.claimed_by == owner)
            .values(lease_until=lease_until).execution_options(synchronize_session=False))
        return result.rowcount

    async def end_leases(self, owner: str) -> int:
        """Every other sender's lease runs out now: a process that knows it is alone (no
        REDIS_URL) takes over at once what a killed predecessor left 'sending'."""
        result = await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.status == "sending", OutboxRow.claimed_by.is_distinct_from(owner))
            .values(lease_until=None).execution_options(synchronize_session=False))
        return result.rowcount

    async def sent(self, message: OutgoingMessage, tg_message_id: int | None,
                   now: datetime) -> None:
        await write(self.session, _SENT, {"row": message.id, "owner": message.claimed_by,
                                           "at": now, "tg_id": tg_message_id})

    async def retry(self, message: OutgoingMessage, error: str, not_before: datetime) -> None:
        await self._move(message, status="queued", last_error=error, not_before=not_before,
                         claimed_by=None, lease_until=None, attempts=OutboxRow.attempts + 1)

    async def failed(self, message: OutgoingMessage, error: str) -> None:
        await self._move(message, status="failed", last_error=error, lease_until=None,
                         attempts=OutboxRow.attempts + 1)

    async def release(self, message: OutgoingMessage, not_before: datetime) -> None:
        """Back to the queue unattempted, e.g. behind a throttled message to the same chat."""
        await self._move(message, status="queued", not_before=not_before, claimed_by=None,
                         lease_until=None)

    async def cancel(self, purpose: str, ref_id: int) -> None:
        """A message not yet sent whose reason went away (e.g. a withdrawn offer) stays unsent."""
        await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.purpose == purpose, OutboxRow.ref_id == ref_id,
                   OutboxRow.status == "queued")
            .values(status="cancelled")
        )

    async def _move(self, message: OutgoingMessage, **values: object) -> bool:
        """Out of 'sending', only by the replica whose claim it is: a replica whose lease
        ran out (and whose row another one took over) changes nothing."""
        result = await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message.id, OutboxRow.status == "sending",
                   OutboxRow.claimed_by.is_not_distinct_from(message.claimed_by))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def _message(r: Row) -> OutgoingMessage:
    return OutgoingMessage(r.id, r.chat_id, r.member_id, r.text, r.reply_markup,
                           r.edit_message_id, r.purpose, r.ref_id, r.attempts, r.kind,
                           r.file_id, r.claimed_by)


# The sender's statements, built once with bound parameters (asked every few seconds by
# every replica; building and keying them cost more than SQLite running them).
_NOW = bindparam("now", type_=OutboxRow.not_before.type)
#: Queued and due, or being sent under a lease that ran out (its sender died).
_CLAIMABLE = or_(and_(OutboxRow.status == "queued", OutboxRow.not_before <= _NOW),
                 and_(OutboxRow.status == "sending",
                      or_(OutboxRow.lease_until.is_(None), OutboxRow.lease_until < _NOW)))
#: Chats another replica is sending to under a live lease.
_HELD = select(OutboxRow.chat_id).where(
    OutboxRow.status == "sending",
    OutboxRow.claimed_by.is_distinct_from(bindparam("owner", type_=OutboxRow.claimed_by.type)),
    OutboxRow.lease_until >= _NOW)
_HELD_AMONG = _HELD.where(OutboxRow.chat_id.in_(bindparam("chats", expanding=True)))
#: A row's send priority from its purpose, as SQL (no stored column to keep in step).
_ORDER = (case({str(p): n for p, n in PRIORITY.items()}, value=OutboxRow.purpose,
               else_=DEFAULT_PRIORITY), OutboxRow.id)
_WAITING = (select(OutboxRow.id, func.row_number().over(partition_by=OutboxRow.chat_id,
                                                        order_by=_ORDER).label("place"))
            .where(_CLAIMABLE, OutboxRow.chat_id.not_in(_HELD)).subquery())
_DUE = (columns(OutboxRow).join(_WAITING, _WAITING.c.id == OutboxRow.id)
        .where(_WAITING.c.place <= bindparam("per_chat")).order_by(*_ORDER)
        .limit(bindparam("limit")))
_CLAIM = (update(OutboxRow)
          .where(OutboxRow.id.in_(
              select(OutboxRow.id)
              .where(OutboxRow.id.in_(bindparam("wanted", expanding=True)), _CLAIMABLE)
              .with_for_update(skip_locked=True).scalar_subquery()))
          .values(status="sending", claimed_by=bindparam("claimer"),
                  lease_until=bindparam("lease", type_=OutboxRow.lease_until.type))
          .returning(OutboxRow.id).execution_options(synchronize_session=False))
