"""Outbox rows rendered when they are sent (domain.delivery.RENDERED_WHEN_SENT): team and
triage cards, pings and relayed messages, from the state at that moment, not at the moment
of queueing: a row that waited behind a flood limit never shows stale facts."""

import contextlib
from collections.abc import Iterator
from dataclasses import replace

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import Clock
from domain.conversations import EDIT_MARK, Kind
from domain.delivery import RENDERED_WHEN_SENT, Purpose
from domain.outbox import OutgoingMessage
from domain.pool import InvitationState
from services import card_queue, languages, notify, pool, relay
from services.cards import build_card
from services.triage import triage_card
from storage.uow import UnitOfWork
from views import (
    conversation_texts,
    holding_texts,
    keyboards,
    pool_texts,
    screen_texts,
    texts,
)


#: Rows whose rendering may write (the triage card, a relayed message); the others only read,
#: so on SQLite they are drawn without the write lock (storage.engine.read_only).
_WRITING = frozenset({Purpose.TRIAGE, Purpose.RELAY_IN, Purpose.RELAY_FAILED})


class Renderer:
    def __init__(self, session_factory: async_sessionmaker, clock: Clock, i18n: I18n) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.i18n = i18n

    @contextlib.contextmanager
    def texts(self, locale: str) -> Iterator[None]:
        """Outside any update gettext needs its context; the text is its reader's."""
        with self.i18n.context(), self.i18n.use_locale(locale or self.i18n.default_locale):
            yield

    async def __call__(self, message: OutgoingMessage) -> OutgoingMessage | None:
        """The row ready to send; None if what it was about is gone (nothing to send)."""
        if message.purpose not in RENDERED_WHEN_SENT or message.ref_id is None:
            return message
        purpose, ref = Purpose(message.purpose), message.ref_id
        async with UnitOfWork(self.session_factory) as uow:
            if purpose in _WRITING:
                return await self._render(uow, message, purpose, ref)
            async with uow.reading():
                return await self._render(uow, message, purpose, ref)

    async def _render(self, uow: UnitOfWork, message: OutgoingMessage, purpose: Purpose,
                      ref: int) -> OutgoingMessage | None:
        locale = await languages.of_recipient(uow, message.member_id, message.chat_id)
        if purpose is Purpose.CARD:
            return await self._card(uow, message, ref, locale)
        if purpose is Purpose.TRIAGE:
            return await self._triage(uow, message, ref, locale)
        if purpose in (Purpose.RELAY_IN, Purpose.RELAY_FAILED):
            return await self._relayed(uow, message, ref, locale)
        if purpose is Purpose.BURST:
            return await self._burst(uow, message, ref, locale)
        if purpose in (Purpose.POOL_INVITE, Purpose.POOL_CLOSED):
            return await self._pool(uow, message, ref, locale)
        if purpose in (Purpose.WITHDRAWN, Purpose.EXPIRED):
            with self.texts(locale):
                return replace(message, text=texts.offer_withdrawn_dm()
                               if purpose is Purpose.WITHDRAWN else texts.offer_expired_dm())
        return await self._ping(uow, message, ref, locale)

    async def _card(self, uow: UnitOfWork, message: OutgoingMessage,
                    contact_id: int, locale: str) -> OutgoingMessage:
        now = self.clock.now()
        view = await build_card(uow, contact_id, now)
        with self.texts(locale):
            return _placed(message, texts.card(view, now), keyboards.card(view), view.location)

    async def _pool(self, uow: UnitOfWork, message: OutgoingMessage, invitation_id: int,
                    locale: str) -> OutgoingMessage | None:
        """An invitation goes out only while its pool is open; its edit says how it ended."""
        view = await pool.invitation_view(uow, invitation_id)
        if view is None:
            return None
        state, contact = view.invitation.state, view.contact
        with self.texts(locale):
            if message.purpose == Purpose.POOL_CLOSED:
                return replace(message, text=pool_texts.closed(contact, state))
            if state is not InvitationState.PENDING:
                return None
            return replace(message, text=pool_texts.invitation(contact, view.invitation.days),
                           reply_markup=pool_texts.invitation_keyboard(
                               invitation_id).model_dump_json())

    async def _burst(self, uow: UnitOfWork, message: OutgoingMessage, batch_id: int,
                     locale: str) -> OutgoingMessage | None:
        """The count as it is when the summary goes out (the end of an API minute)."""
        batch = await card_queue.batch(uow, batch_id)
        if batch is None or batch.count == 0:
            return None
        with self.texts(locale):
            return replace(message, text=screen_texts.burst_summary(batch.count, batch.channel),
                           reply_markup=keyboards.burst(batch_id).model_dump_json())

    async def _triage(self, uow: UnitOfWork, message: OutgoingMessage,
                      conversation_id: int, locale: str) -> OutgoingMessage:
        card = await triage_card(uow, conversation_id)
        await uow.commit()
        with self.texts(locale):
            return _placed(message, conversation_texts.triage_card(card, self.clock.now()),
                           conversation_texts.triage_keyboard(card), card.conversation.card)

    async def _relayed(self, uow: UnitOfWork, message: OutgoingMessage,
                       message_id: int, locale: str) -> OutgoingMessage | None:
        piece = await relay.stored_piece(uow, message_id, message.member_id, self.clock.now())
        if piece is None:
            return None
        conv, stored = piece.conversation, piece.message
        with self.texts(locale):
            if message.purpose == Purpose.RELAY_FAILED:
                return replace(message, text=conversation_texts.relay_failed(conv))
            limit = conversation_texts.CAPTION_LIMIT if stored.kind is not Kind.TEXT else 4000
            text = conversation_texts.relayed(conv, conv.contact_id, stored.text, limit,
                                              edited=message.text == EDIT_MARK)
            markup = conversation_texts.share_keyboard(conv.id).model_dump_json()
        return replace(message, text=text, reply_markup=markup, kind=stored.kind.value,
                       file_id=stored.file_id)

    async def _ping(self, uow: UnitOfWork, message: OutgoingMessage,
                    ref: int, locale: str) -> OutgoingMessage | None:
        about = await notify.subject(uow, Purpose(message.purpose), ref)
        if about is None:
            return None
        with self.texts(locale):
            if message.purpose == Purpose.DECLINED:
                text = texts.declined_notice(about.contact, about.multiplier_name or "?")
            elif message.purpose == Purpose.EXPIRED_PING:
                text = texts.offer_expired_notice(about.contact, about.multiplier_name or "?")
            elif message.purpose == Purpose.AUTO_CLOSED:
                text = texts.auto_closed_notice(about.contact)
            elif message.purpose == Purpose.RELEASED:
                text = holding_texts.released_notice(about.contact, about.release)
            elif message.purpose == Purpose.RELEASED_EDIT:  # no reply_markup: the buttons go
                text = holding_texts.released_message(about.contact, about.release)
            else:
                text = texts.new_contact_notice(about.contact)
        return replace(message, text=text)


def _placed(message: OutgoingMessage, text: str, markup: InlineKeyboardMarkup | None,
            location: tuple[int, int] | None) -> OutgoingMessage:
    """A card is posted the first time, then edited where it landed."""
    return replace(message, text=text,
                   reply_markup=markup.model_dump_json() if markup else None,
                   chat_id=location[0] if location else message.chat_id,
                   edit_message_id=location[1] if location else None)
