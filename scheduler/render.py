"""Outbox rows rendered when they are sent (domain.delivery.RENDERED_WHEN_SENT): a team card
and the pings about a contact, from the state at that moment, not at the moment of queueing."""

import contextlib
from collections.abc import Iterator
from dataclasses import replace

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import Clock
from domain.delivery import RENDERED_WHEN_SENT, Purpose
from domain.outbox import OutgoingMessage
from services import notify
from services.cards import build_card
from storage.uow import UnitOfWork
from views import keyboards, texts


class Renderer:
    def __init__(self, session_factory: async_sessionmaker, clock: Clock, i18n: I18n) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.i18n = i18n

    @contextlib.contextmanager
    def texts(self) -> Iterator[None]:
        """Outside any update gettext needs its context (the team's default locale)."""
        with self.i18n.context(), self.i18n.use_locale(self.i18n.default_locale):
            yield

    async def __call__(self, message: OutgoingMessage) -> OutgoingMessage | None:
        """The row ready to send; None if what it was about is gone (nothing to send)."""
        if message.purpose not in RENDERED_WHEN_SENT or message.ref_id is None:
            return message
        if message.purpose == Purpose.CARD:
            return await self._card(message, message.ref_id)
        if message.purpose == Purpose.WITHDRAWN:
            with self.texts():
                return replace(message, text=texts.offer_withdrawn_dm())
        async with UnitOfWork(self.session_factory) as uow:
            about = await notify.subject(uow, Purpose(message.purpose), message.ref_id)
        if about is None:
            return None
        with self.texts():
            if message.purpose == Purpose.DECLINED:
                text = texts.declined_notice(about.contact, about.multiplier_name or "?")
            else:
                text = texts.new_contact_notice(about.contact)
        return replace(message, text=text)

    async def _card(self, message: OutgoingMessage, contact_id: int) -> OutgoingMessage:
        """Posted the first time; edited in place once we know where it landed."""
        now = self.clock.now()
        async with UnitOfWork(self.session_factory) as uow:
            view = await build_card(uow, contact_id, now)
        with self.texts():
            text, markup = texts.card(view, now), keyboards.card(view)
        location = view.location
        return replace(message, text=text,
                       reply_markup=markup.model_dump_json() if markup else None,
                       chat_id=location[0] if location else message.chat_id,
                       edit_message_id=location[1] if location else None)
