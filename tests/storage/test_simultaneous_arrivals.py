"""The same seeker arriving from two sources at the same instant (the web form and an
operator's /new, on two replicas) becomes one contact and one touch: intake holds each
identifier until its commit (an advisory lock on PostgreSQL; SQLite has one writer)."""

import asyncio
from collections import Counter

from sqlalchemy import func, select

from domain.contacts import ContactDetails
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services import intake
from storage.models import ContactRow, TouchRow
from storage.uow import UnitOfWork


def TOUCH(locale, stored, match, reader):  # type: ignore[no-untyped-def]
    return f"touch #{stored.id}"


async def test_two_sources_at_once_make_one_contact_and_one_touch(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        web = await uow.members.add(1, "Web form", None, {Role.ADMIN}, clock.now())
        oper = await uow.members.add(2, "Oleh", None, {Role.OPERATOR}, clock.now())
        await uow.settings.set(TEAM_CHAT, "-100")
        await uow.commit()
    seekers = ([ContactDetails(name=f"Maria {n}", phone=f"+38067{5550000 + n}") for n in range(8)]
               + [ContactDetails(name=f"Olha {n}", email=f"olha.{n}@example.org") for n in range(8)]
               + [ContactDetails(name=f"Ivan {n}", tg_username=f"ivan_{n}") for n in range(8)])

    async def arrive(actor, details):  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            result = await intake.create_contact(uow, actor, details, clock.now(),
                                                 compose_touch=TOUCH)
            return result.created

    created = await asyncio.gather(*(arrive(actor, details)
                                     for details in seekers for actor in (web, oper)))
    assert Counter(created) == {True: len(seekers), False: len(seekers)}
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ContactRow)) == len(seekers)
        assert await session.scalar(select(func.count()).select_from(TouchRow)) == len(seekers)
