"""Unit of work: one session, the repositories over it, and nothing saved unless committed."""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.api_keys import ApiKeyRepository, IdempotencyRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.contacts import ContactRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.duplicates import DuplicateRepository
from storage.repositories.exports import ExportRepository
from storage.repositories.invites import InviteRepository
from storage.repositories.members import MemberRepository
from storage.repositories.offers import OfferRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.settings import SettingsRepository
from storage.repositories.tracks import TrackRepository


class UnitOfWork:
    """Services call commit(); leaving the block rolls back whatever was not committed.

    Every service ends its transaction (read-only ones too) before the handler talks to
    Telegram, so no database lock is held across network calls.
    """

    session: AsyncSession

    def __init__(self, session_factory: async_sessionmaker) -> None:
        self._factory = session_factory

    async def __aenter__(self) -> Self:
        self.session = self._factory()
        self.members = MemberRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.offers = OfferRepository(self.session)
        self.invites = InviteRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.settings = SettingsRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.areas = AreaRepository(self.session)
        self.tracks = TrackRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.duplicates = DuplicateRepository(self.session)
        self.api_keys = ApiKeyRepository(self.session)
        self.idempotency = IdempotencyRepository(self.session)
        self.exports = ExportRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
