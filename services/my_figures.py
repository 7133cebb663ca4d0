"""A multiplier's own figures: what they hold, what they did, and their track record."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.contacts import LOAD_STATUSES
from domain.members import Member
from domain.reliability import Track
from domain.milestones import Milestone
from domain.reports import Period, Progress
from domain.roles import Role
from services.access import require
from services.ports import UnitOfWork
from services.transaction import use_case

PROGRESS_PERIOD = timedelta(days=30)


@dataclass(frozen=True)
class MyFigures:
    member: Member
    track: Track
    holding: int
    progress: Progress  # the last 30 days
    #: Faith milestones their seekers reached in the last 30 days (domain.milestones).
    milestones: dict[Milestone, int] = field(default_factory=dict)


@use_case
async def my_figures(uow: UnitOfWork, actor: Member | None, now: datetime) -> MyFigures:
    actor = require(actor, Role.MULTIPLIER)
    track = (await uow.tracks.for_members([actor.id], now))[actor.id]
    holding = len(await uow.contacts.assigned_to(actor.id, LOAD_STATUSES))
    counts = await uow.reports.progress(actor.id, now - PROGRESS_PERIOD)
    progress = Progress(*counts, target=await uow.settings.target(actor.id))
    up_to_now = Period(now - PROGRESS_PERIOD, now + timedelta(microseconds=1))  # end exclusive
    reached = await uow.milestones.reached(up_to_now, actor.id)
    await uow.commit()
    return MyFigures(actor, track, holding, progress, reached)
