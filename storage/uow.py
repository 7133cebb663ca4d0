"""Unit of work: one session, the repositories over it, and nothing saved unless committed."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cached_property
from types import TracebackType
from typing import Self, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState

from domain.effects import Effect, Effects
from storage.engine import read_only
from storage.repositories.api_keys import ApiKeyRepository, IdempotencyRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.contacts import ContactRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.duplicates import DuplicateRepository
from storage.repositories.exports import ExportRepository
from storage.repositories.invites import InviteRepository
from storage.repositories.members import MemberRepository
from storage.repositories.milestones import MilestoneRepository
from storage.repositories.offers import OfferRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.pool import PoolRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.settings import SettingsRepository
from storage.repositories.tracks import TrackRepository
from storage.repositories.mapping import WROTE
from storage.repositories.updates import UpdateClaim, hold
from storage.repositories.web_forms import WebFormRepository

#: Runs a committed transaction's effects (built once at assembly: see scheduler.effects).
AfterCommit = Callable[[frozenset[Effect]], None]
R = TypeVar("R")


def _repository(make: Callable[[AsyncSession], R]) -> cached_property[R]:
    """A repository over the unit of work's session, made when first used in the block: a
    transaction uses a few of the eighteen, and making them all cost a tenth of a short one."""
    return cached_property(lambda uow: make(uow.session))


class UnitOfWork:
    """Services call commit(); leaving the block rolls back whatever was not committed.
    This is the SQLAlchemy implementation of services.ports.UnitOfWork, which use cases see.

    Every service ends its transaction (read-only ones too) before the handler talks to
    Telegram, so no database lock is held across network calls. What the transaction left
    to do (domain.effects) goes to `after_commit` once the commit succeeded, never before
    and never after a rollback: no entry point has to remember a side effect.

    With a `claim` (a Telegram update being handled), the first commit that changes anything
    also records the update as handled: its effects and the claim stand or fall together, so
    a handler that fails before committing can be handled again without a second effect.
    """

    session: AsyncSession
    members = _repository(MemberRepository)
    contacts = _repository(ContactRepository)
    offers = _repository(OfferRepository)
    invites = _repository(InviteRepository)
    audit = _repository(AuditRepository)
    settings = _repository(SettingsRepository)
    outbox = _repository(OutboxRepository)
    areas = _repository(AreaRepository)
    tracks = _repository(TrackRepository)
    reports = _repository(ReportRepository)
    conversations = _repository(ConversationRepository)
    duplicates = _repository(DuplicateRepository)
    api_keys = _repository(ApiKeyRepository)
    idempotency = _repository(IdempotencyRepository)
    exports = _repository(ExportRepository)
    web_forms = _repository(WebFormRepository)
    milestones = _repository(MilestoneRepository)
    pool = _repository(PoolRepository)

    def __init__(self, session_factory: async_sessionmaker,
                 after_commit: AfterCommit | None = None,
                 claim: UpdateClaim | None = None) -> None:
        self._factory = session_factory
        self._after_commit = after_commit
        self._claim = claim
        self._wrote = False
        self.effects = Effects()

    async def __aenter__(self) -> Self:
        self.session = self._factory()
        if self._claim is not None:
            event.listen(self.session.sync_session, "after_flush", self._flushed)
            event.listen(self.session.sync_session, "do_orm_execute", self._executed)
        for name in _REPOSITORIES:  # a unit of work entered again has a new session
            self.__dict__.pop(name, None)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Undo what was not committed. A committed transaction gave its connection back
        already: its session is just dropped (a rollback and a close cost two trips into
        SQLAlchemy's greenlet, a tenth of a short transaction, and undo nothing)."""
        if self.session.in_transaction():
            await self.session.rollback()
            await self.session.close()

    async def commit(self) -> None:
        wrote = self.session.info.pop(WROTE, False) or self._wrote
        claim = self._claim if wrote else None
        if claim is not None and not claim.held:
            await hold(self.session, claim)
        await self.session.commit()
        self._wrote = False
        if claim is not None:
            claim.held = True
        effects = self.effects.take()
        if "outbox" in self.__dict__ and self.outbox.take_added():
            effects |= {Effect.WAKE_SENDER}
        if effects and self._after_commit is not None:
            self._after_commit(effects)

    async def rollback(self) -> None:
        await self.session.rollback()
        self.session.info.pop(WROTE, None)
        self._wrote = False
        self.effects.discard()
        if "outbox" in self.__dict__:
            self.outbox.take_added()

    @asynccontextmanager
    async def reading(self, inline: bool = False) -> AsyncIterator[None]:
        """A transaction of its own that only reads, ended when the block ends: on SQLite it
        does not take the write lock (storage.engine.read_only, and what `inline` means)."""
        if self.session.in_transaction():
            raise RuntimeError("a reader begins its own transaction: commit first")
        with read_only(inline):
            try:
                yield
            finally:
                await self.session.commit()

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """See services.ports.UnitOfWork.savepoint (SAVEPOINT / ROLLBACK TO on the session)."""
        async with self.session.begin_nested():
            yield

    def _flushed(self, *_args: object) -> None:
        """An ORM flush wrote rows (SQLAlchemy skips flushes with nothing to write)."""
        self._wrote = True

    def _executed(self, state: ORMExecuteState) -> None:
        """An UPDATE / INSERT / DELETE statement ran in this transaction."""
        if state.is_insert or state.is_update or state.is_delete:
            self._wrote = True


_REPOSITORIES = tuple(name for name, value in vars(UnitOfWork).items()
                      if isinstance(value, cached_property))
