"""Use cases over a real, migrated SQLite database: transactions, audit, races."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.contacts import ContactDetails, Status
from domain.errors import AlreadyDone, NoLongerAvailable, NotAllowed, NotFound
from domain.members import Gender, Profile
from domain.offers import OfferStatus
from domain.roles import Role
from services import answers, dispatch, followup, intake, team
from storage.models import AuditRow, OfferRow
from storage.uow import UnitOfWork

TTL = timedelta(hours=24)


def COMPOSE(locale, offer, contact):  # type: ignore[no-untyped-def]
    return f"Can you reach {contact.details.call_name}?", "{}"


async def seed(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, clock.now())
        anna = await uow.members.add(2, "Anna", None, {Role.MULTIPLIER}, clock.now())
        olga = await uow.members.add(3, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.members.save_profile(anna.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"})))
        await uow.members.save_profile(olga.id, Profile(gender=Gender.FEMALE))
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        boss, anna, olga = [await uow.members.get(m.id) for m in (boss, anna, olga)]
        card = await intake.create_contact(
            uow, boss, ContactDetails(name="Maria Ivanova", phone="+380441234567",
                                      gender=Gender.FEMALE, language="ru"), clock.now())
    return boss, anna, olga, card.contact


async def test_only_a_russian_speaker_is_suggested_for_a_russian_speaker(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    _, anna, _, contact = await seed(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        view = await dispatch.card(uow, (await uow.members.get(1)), contact.id, clock.now())
    assert [s.member.name for s in view.suggestions] == ["Anna"]


async def test_fifty_concurrent_accepts_make_one_assignment(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, _, contact = await seed(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        made = await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)

    async def tap():  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            try:
                await answers.accept(uow, anna, made.offer.id, clock.now())
                return "won"
            except NoLongerAvailable:
                return "lost"

    results = await asyncio.gather(*(tap() for _ in range(50)))
    assert results.count("won") == 1
    async with UnitOfWork(session_factory) as uow:
        stored = await uow.contacts.get(contact.id)
        assigns = await uow.session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "assign"))
    assert (stored.status, stored.assignee_id, assigns) == (Status.ACCEPTED, anna.id, 1)


async def test_two_dispatchers_offering_at_once_make_one_offer(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, olga, contact = await seed(session_factory, clock)

    async def offer_to(member):  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            try:
                await dispatch.make_offer(uow, boss, contact.id, member.id, clock.now(), 2, TTL, COMPOSE)
                return True
            except NoLongerAvailable:
                return False

    assert sorted(await asyncio.gather(offer_to(anna), offer_to(olga))) == [False, True]
    async with UnitOfWork(session_factory) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(OfferRow)) == 1


async def test_expired_offer_cannot_be_accepted_and_returns_to_dispatch(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, _, contact = await seed(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        made = await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)
    clock.advance(hours=25)
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await answers.accept(uow, anna, made.offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.offers.get(made.offer.id)).status is OfferStatus.EXPIRED
        assert (await uow.contacts.get(contact.id)).status is Status.NEW


async def test_decline_reason_once_then_stages_by_assignee_only(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, olga, contact = await seed(session_factory, clock)
    from domain.offers import DeclineReason
    async with UnitOfWork(session_factory) as uow:
        first = await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        await answers.decline(uow, anna, first.offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        await answers.give_reason(uow, anna, first.offer.id, DeclineReason.TOO_FAR, clock.now())
    async with UnitOfWork(session_factory) as uow:  # the card the team sees now
        view = await dispatch.card(uow, boss, contact.id, clock.now())
    assert view.suggestions == []  # Olga does not speak Russian; a dispatcher may still pick her
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(AlreadyDone):
            await answers.give_reason(uow, anna, first.offer.id, DeclineReason.OTHER, clock.now())
    async with UnitOfWork(session_factory) as uow:
        second = await dispatch.make_offer(uow, boss, contact.id, olga.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, olga, second.offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NotAllowed):
            await followup.set_stage(uow, anna, contact.id, Status.REACHED, clock.now())
    async with UnitOfWork(session_factory) as uow:
        moved = await followup.set_stage(uow, olga, contact.id, Status.REACHED, clock.now())
    assert moved.contact.status is Status.REACHED
    async with UnitOfWork(session_factory) as uow:  # the promise kept counts in Olga's track record
        assert (await uow.offers.get(second.offer.id)).reached_at == clock.now()
    async with UnitOfWork(session_factory) as uow:
        back = await followup.hand_back(uow, olga, contact.id, "moved to Lviv", clock.now())
    assert (back.contact.status, back.contact.assignee_id, back.contact.dispatch_note) == (
        Status.NEW, None, "moved to Lviv")
    async with UnitOfWork(session_factory) as uow:
        trail = [(r.action, r.before, r.after) for r in await uow.audit.for_entity("contact", contact.id)]
    assert trail == [
        ("create", None, trail[0][2]),
        ("offer", '"new"', '"offered"'),
        ("declined", '"offered"', '"new"'),
        ("offer", '"new"', '"offered"'),
        ("assign", '"offered"', '"accepted"'),
        ("stage", '"accepted"', '"reached"'),
        ("hand_back", '"reached"', '"new"'),
    ]


async def test_invite_is_single_use_and_expires(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, *_ = await seed(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        token = await team.create_invite(uow, boss, Role.OPERATOR, clock.now(), timedelta(hours=1))
    async with UnitOfWork(session_factory) as uow:
        joined = await team.join(uow, token, 50, "Oleh", "oleh", clock.now())
    assert joined.member.roles == {Role.OPERATOR}
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await team.join(uow, token, 51, "Eve", None, clock.now())
    async with UnitOfWork(session_factory) as uow:
        late = await team.create_invite(uow, boss, Role.OPERATOR, clock.now(), timedelta(hours=1))
    clock.advance(hours=2)
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await team.join(uow, late, 52, "Late", None, clock.now())


async def test_a_refusal_leaves_no_transaction_open(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Handlers answer over the network after a refusal: no write lock may be held then."""
    boss, anna, _, contact = await seed(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await dispatch.hold(uow, boss, contact.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await dispatch.hold(uow, boss, contact.id, clock.now())
        assert not uow.session.in_transaction()
        with pytest.raises(NotFound):
            await answers.accept(uow, anna, 999, clock.now())
        assert not uow.session.in_transaction()
