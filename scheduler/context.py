"""What every job needs, built once in main() and passed in; jobs keep no state of their own."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import Clock
from domain.contacts import Status
from domain.followup_rules import NagPolicy
from scheduler.sender import OutboxSender
from services.notify import Quiet
from services.options import Options
from storage.uow import AfterCommit, UnitOfWork


@dataclass
class JobContext:
    bot: Bot
    session_factory: async_sessionmaker
    clock: Clock
    settings: Options
    i18n: I18n
    sender: OutboxSender
    after_commit: AfterCommit | None = None

    def uow(self) -> UnitOfWork:
        """A unit of work whose committed effects run (the sender woken, auto-dispatch)."""
        return UnitOfWork(self.session_factory, self.after_commit)

    @contextlib.contextmanager
    def texts(self) -> Iterator[None]:
        """Jobs run outside any update: give gettext its context (the team's default locale)."""
        with self.i18n.context(), self.i18n.use_locale(self.i18n.default_locale):
            yield

    @property
    def quiet(self) -> Quiet:
        return self.settings.quiet()

    @property
    def nag_policy(self) -> NagPolicy:
        s = self.settings
        days = {
            Status.ATTEMPTED: s.nag_days_attempted,
            Status.REACHED: s.nag_days_reached,
            Status.MEETING_SCHEDULED: s.nag_days_meeting,
            Status.MET: s.nag_days_met,
            Status.ONGOING: s.nag_days_ongoing,
        }
        return NagPolicy(
            stage_limits={stage: timedelta(days=d) for stage, d in days.items()},
            interval=timedelta(hours=s.nag_interval_hours),
            max_nags=s.max_nags,
        )
