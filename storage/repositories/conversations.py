"""Seekers' conversations, their messages, relay links and triage events. Triage moves are
conditional updates, so two operators pressing at once cannot both win."""

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.conversations import (
    OPEN_TRIAGE,
    ContactDraft,
    Conversation,
    ConversationMessage,
    Direction,
    Kind,
    RelayStatus,
    Triage,
    TriageAction,
    TriageEvent,
    TriageStats,
    triage_stats,
)
from storage.models import (
    ConversationMessageRow,
    ConversationRow,
    RelayLinkRow,
    TriageEventRow,
)
from storage.repositories.mapping import (
    columns, insert_id, new_values, plain, set_bound, shaped, write,
)

# A seeker's every message reads and writes these: built once (see mapping.plain).
_CONVERSATIONS = columns(ConversationRow)
_BY_ID = _CONVERSATIONS.where(ConversationRow.id == bindparam("id"))
_BY_SEEKER = _CONVERSATIONS.where(ConversationRow.seeker_tg_id == bindparam("tg"))
_BY_SEEKER_LOCKED = _BY_SEEKER.with_for_update()
_COUNT_DROPPED = (update(ConversationRow).where(ConversationRow.id == bindparam("conversation"))
                  .values(dropped=ConversationRow.dropped + 1)
                  .execution_options(synchronize_session=False))
_MESSAGES = ConversationMessageRow
_COUNT = select(func.count()).select_from(_MESSAGES).where(
    _MESSAGES.conversation_id == bindparam("id"), _MESSAGES.direction == bindparam("direction"))
_COUNT_SINCE = _COUNT.where(_MESSAGES.at >= bindparam("since", type_=_MESSAGES.at.type))
_ADD_MESSAGE = insert(_MESSAGES.__table__)


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def conversation_from_row(r: ConversationRow) -> Conversation:
    card = (r.card_chat_id, r.card_message_id) if r.card_chat_id and r.card_message_id else None
    return Conversation(
        id=r.id, seeker_tg_id=r.seeker_tg_id, seeker_name=r.seeker_name,
        seeker_username=r.seeker_username, triage=Triage(r.triage),
        created_at=as_utc(r.created_at), round_started_at=as_utc(r.round_started_at),
        claimed_by=r.claimed_by, triaged_by=r.triaged_by, contact_id=r.contact_id,
        relay_status=RelayStatus(r.relay_status), handler_since=_utc(r.handler_since),
        last_in_at=_utc(r.last_in_at), last_out_at=_utc(r.last_out_at),
        first_out_at=_utc(r.first_out_at), slowed_at=_utc(r.slowed_at), dropped=r.dropped,
        card=card, seeker_given_name=r.seeker_given_name,
        seeker_family_name=r.seeker_family_name, seeker_language=r.seeker_language,
        draft=ContactDraft.from_dict(json.loads(r.draft)) if r.draft else None,
    )


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, conversation_id: int) -> Conversation | None:
        rows = await plain(self.session, _BY_ID, {"id": conversation_id})
        return conversation_from_row(rows[0]) if rows else None

    async def by_seeker(self, tg_user_id: int, lock: bool = False) -> Conversation | None:
        """`lock`: hold the row to the end of the transaction, so one sender's messages are
        counted one at a time (PostgreSQL; SQLite's write lock already serialises them)."""
        rows = await plain(self.session, _BY_SEEKER_LOCKED if lock else _BY_SEEKER,
                           {"tg": tg_user_id})
        return conversation_from_row(rows[0]) if rows else None

    async def count_dropped(self, conversation_id: int, **values: object) -> None:
        await write(self.session, _COUNT_DROPPED, {"conversation": conversation_id})
        if values:
            await self.set_fields(conversation_id, **values)

    async def by_contact(self, contact_id: int) -> Conversation | None:
        row = await self.session.scalar(
            select(ConversationRow).where(ConversationRow.contact_id == contact_id)
            .execution_options(populate_existing=True))
        return conversation_from_row(row) if row else None

    async def for_contacts(self, contact_ids: Iterable[int]) -> dict[int, Conversation]:
        rows = await self.session.scalars(
            select(ConversationRow).where(ConversationRow.contact_id.in_(list(contact_ids))))
        return {r.contact_id: conversation_from_row(r) for r in rows if r.contact_id}

    async def add(self, tg_user_id: int, name: str, username: str | None,
                  now: datetime) -> Conversation | None:
        """None if a concurrent update created this seeker's conversation first."""
        row = ConversationRow(
            seeker_tg_id=tg_user_id, seeker_name=name, seeker_username=username,
            triage=Triage.NEW.value, relay_status=RelayStatus.NONE.value, created_at=now,
            round_started_at=now, dropped=0)
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return conversation_from_row(row)

    async def move(self, conversation_id: int, expected: Iterable[Triage],
                   drafting: bool | None = None, **values: object) -> bool:
        """Change triage fields only if it is still in an expected state, and (`drafting`
        not None) only if a contact draft is open (True) or not (False). A `draft` value is
        a ContactDraft or None."""
        if "draft" in values:
            draft = values["draft"]
            values["draft"] = json.dumps(draft.as_dict()) \
                if isinstance(draft, ContactDraft) else None
        conditions = [ConversationRow.id == conversation_id,
                      ConversationRow.triage.in_([t.value for t in expected])]
        if drafting is not None:
            conditions.append(ConversationRow.draft.isnot(None) if drafting
                              else ConversationRow.draft.is_(None))
        result = await self.session.execute(
            update(ConversationRow).where(*conditions)
            .values(**values).execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def set_fields(self, conversation_id: int, **values: object) -> None:
        statement = shaped(("conversation set", *sorted(values)), lambda: set_bound(
            update(ConversationRow).where(ConversationRow.id == bindparam("conversation")),
            ConversationRow.__table__, values))
        await write(self.session, statement,
                    {"conversation": conversation_id, **new_values(values)})

    async def place_card(self, conversation_id: int, chat_id: int, message_id: int,
                         row_id: int) -> None:
        await self.session.execute(
            update(ConversationRow)
            .where(ConversationRow.id == conversation_id,
                   or_(ConversationRow.card_row_id.is_(None),
                       ConversationRow.card_row_id <= row_id))
            .values(card_chat_id=chat_id, card_message_id=message_id)
            .execution_options(synchronize_session=False))

    async def set_status_if(self, conv: Conversation, to: RelayStatus, now: datetime) -> bool:
        """A job's move: only if nobody wrote since the job read it."""
        result = await self.session.execute(
            update(ConversationRow)
            .where(ConversationRow.id == conv.id,
                   ConversationRow.relay_status == conv.relay_status.value,
                   ConversationRow.last_in_at.is_(None) if conv.last_in_at is None
                   else ConversationRow.last_in_at == conv.last_in_at,
                   ConversationRow.last_out_at.is_(None) if conv.last_out_at is None
                   else ConversationRow.last_out_at == conv.last_out_at)
            .values(relay_status=to.value).execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def unposted(self) -> list[Conversation]:
        rows = await self.session.scalars(
            select(ConversationRow)
            .where(ConversationRow.triage.in_([t.value for t in OPEN_TRIAGE]),
                   ConversationRow.card_message_id.is_(None))
            .order_by(ConversationRow.id))
        return [conversation_from_row(r) for r in rows]

    async def relayed(self, statuses: Iterable[RelayStatus]) -> list[Conversation]:
        rows = await self.session.scalars(
            select(ConversationRow)
            .where(ConversationRow.relay_status.in_([s.value for s in statuses]))
            .order_by(ConversationRow.id))
        return [conversation_from_row(r) for r in rows]

    # ------------------------------------------------------------------ messages

    async def add_message(self, conversation_id: int, direction: Direction, kind: Kind,
                          text: str | None, file_id: str | None, now: datetime,
                          sender_member_id: int | None = None) -> int:
        return await insert_id(self.session, _ADD_MESSAGE, {
            "conversation_id": conversation_id, "direction": direction.value,
            "kind": kind.value, "text": text, "file_id": file_id,
            "sender_member_id": sender_member_id, "at": now})

    async def message(self, message_id: int) -> ConversationMessage | None:
        row = await self.session.get(ConversationMessageRow, message_id)
        return None if row is None else ConversationMessage(
            row.id, row.conversation_id, Direction(row.direction), Kind(row.kind), row.text,
            row.file_id, as_utc(row.at), row.sender_member_id)

    async def messages(self, conversation_id: int, limit: int | None = None,
                       team_only: bool = False) -> list[ConversationMessage]:
        """Oldest first; with a limit, the latest `limit` of them."""
        query = (select(ConversationMessageRow)
                 .where(ConversationMessageRow.conversation_id == conversation_id)
                 .order_by(ConversationMessageRow.id.desc()))
        if team_only:
            query = query.where(ConversationMessageRow.direction == Direction.IN.value,
                                ConversationMessageRow.sender_member_id.is_(None))
        if limit:
            query = query.limit(limit)
        rows = list(await self.session.scalars(query))
        return [ConversationMessage(r.id, r.conversation_id, Direction(r.direction), Kind(r.kind),
                                    r.text, r.file_id, as_utc(r.at), r.sender_member_id)
                for r in reversed(rows)]

    async def mark_relayed(self, message_id: int, member_id: int) -> None:
        await self.session.execute(update(ConversationMessageRow)
                                   .where(ConversationMessageRow.id == message_id)
                                   .values(sender_member_id=member_id))

    async def count_messages(self, conversation_id: int, direction: Direction,
                             since: datetime | None = None) -> int:
        params: dict[str, object] = {"id": conversation_id, "direction": direction.value}
        if since is not None:
            params["since"] = since
        rows = await plain(self.session, _COUNT if since is None else _COUNT_SINCE, params)
        return int(rows[0][0] or 0)

    # ------------------------------------------------------------------ relay links

    async def link(self, chat_id: int, message_id: int, conversation_id: int) -> None:
        await self.session.merge(RelayLinkRow(chat_id=chat_id, message_id=message_id,
                                              conversation_id=conversation_id))
        await self.session.flush()

    async def linked(self, chat_id: int, message_id: int) -> int | None:
        row = await self.session.get(RelayLinkRow, (chat_id, message_id))
        return row.conversation_id if row else None

    # ------------------------------------------------------------------ triage events

    async def record_triage(self, conversation_id: int, member_id: int, action: TriageAction,
                            now: datetime, waited_seconds: int | None) -> None:
        self.session.add(TriageEventRow(conversation_id=conversation_id, member_id=member_id,
                                        action=action.value, at=now,
                                        waited_seconds=waited_seconds))
        await self.session.flush()

    async def triage_events(self, since: datetime, until: datetime) -> list[TriageEvent]:
        rows = await self.session.scalars(
            select(TriageEventRow).where(TriageEventRow.at >= since, TriageEventRow.at < until)
            .order_by(TriageEventRow.id))
        return [TriageEvent(r.member_id, TriageAction(r.action), as_utc(r.at),
                            timedelta(seconds=r.waited_seconds)
                            if r.waited_seconds is not None else None) for r in rows]

    async def triage_stats(self, since: datetime, until: datetime) -> TriageStats:
        """Operators' counts for reports: triaged, median time to triage, spam share."""
        return triage_stats(await self.triage_events(since, until))
