"""The open pool on a real, migrated SQLite database: concurrent Takes make one holder."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.contacts import ContactDetails, Status
from domain.errors import NoLongerAvailable
from domain.matching import MatchPolicy
from domain.members import Profile
from domain.offers import OfferStatus
from domain.pool import InvitationState
from domain.roles import Role
from domain.merge import Prefer
from services import intake, merge, pool
from storage.models import ContactRow, OfferRow, PoolInvitationRow
from storage.uow import UnitOfWork
from tests.storage.test_duplicates import MERGE, QUIET, enter, members

TTL = timedelta(hours=24)


async def test_concurrent_takes_make_exactly_one_holder(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, clock.now())
        takers = [await uow.members.add(10 + i, f"M{i}", None, {Role.MULTIPLIER}, clock.now())
                  for i in range(3)]
        await uow.settings.save_match_policy(MatchPolicy(open_pool=True), MatchPolicy())
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        card = await intake.create_contact(uow, boss, ContactDetails(
            name="Maria Ivanova", phone="+380441234567"), clock.now())
    async with UnitOfWork(session_factory) as uow:
        view = await pool.open_pool(uow, boss, card.contact.id, clock.now(), 2)
    invitations = {i.member_id: i.id for i in view.invitations}
    assert len(invitations) == 3

    async def take(member):  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            try:
                await pool.take(uow, member, invitations[member.id], clock.now(), TTL)
                return "won"
            except NoLongerAvailable:
                return "lost"

    results = await asyncio.gather(*(take(m) for m in takers * 3))
    assert results.count("won") == 1

    async with UnitOfWork(session_factory) as uow:
        s = uow.session
        contact = await s.get(ContactRow, card.contact.id)
        assert contact is not None and contact.status == Status.ACCEPTED.value
        states = sorted((await s.scalars(select(PoolInvitationRow.state))).all())
        assert states == [InvitationState.LOST, InvitationState.LOST, InvitationState.TAKEN]
        taker = await s.scalar(select(PoolInvitationRow.member_id).where(
            PoolInvitationRow.state == InvitationState.TAKEN.value))
        assert contact.assignee_id == taker
        assert await s.scalar(select(func.count()).select_from(OfferRow).where(
            OfferRow.status == OfferStatus.ACCEPTED.value)) == 1


async def test_merging_the_contact_away_withdraws_its_pool(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, _ = await members(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await uow.settings.save_match_policy(MatchPolicy(open_pool=True), MatchPolicy())
        await uow.members.save_profile(anna.id, Profile(areas=frozenset({"podil"})))
        await uow.commit()
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil", source="ad")
    clock.advance(hours=1)
    await enter(session_factory, clock, boss, name="Мария Иванова", phone="+380509999999",
                area="Podil", source="web")
    async with UnitOfWork(session_factory) as uow:
        view = await pool.open_pool(uow, boss, 2, clock.now(), 2)
    assert {i.state for i in view.invitations} == {InvitationState.PENDING}
    async with UnitOfWork(session_factory) as uow:
        [suspect] = await uow.duplicates.pending_for(2)
        await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET,
                          prefer=Prefer.NEWEST)

    async with UnitOfWork(session_factory) as uow:
        states = set((await uow.session.scalars(select(PoolInvitationRow.state))).all())
        assert states == {InvitationState.WITHDRAWN.value}
        [invitation] = await uow.pool.for_contact(2)
        with pytest.raises(NoLongerAvailable):
            await pool.take(uow, anna, invitation.id, clock.now(), TTL)
