"""Held contacts on a migrated SQLite file: the conditional write that settles a race
between a dispatcher and the holder, how an accepted offer's holding ended, and the card's
ranking read back from it."""

from domain.contacts import Status
from domain.members import Gender, Profile
from domain.offers import Release
from domain.roles import Role
from services import answers, dispatch, followup, holding
from services.cards import build_card
from storage.uow import UnitOfWork
from tests.storage.test_matching_services import COMPOSE, TTL, new_contact, team

RUSSIAN = Profile(gender=Gender.FEMALE, languages=frozenset({"ru"}))


async def _held_by_anna(factory, clock):  # type: ignore[no-untyped-def]
    boss, anna = await team(factory, clock)
    contact = await new_contact(factory, boss, clock, "Podil")
    async with UnitOfWork(factory) as uow:
        made = await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(factory) as uow:
        await answers.accept(uow, anna, made.offer.id, clock.now())
    return boss, anna, contact, made.offer


async def test_only_the_holder_the_caller_read_can_be_written(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, contact, _ = await _held_by_anna(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        assert not await uow.contacts.update_held(contact.id, boss.id, status=Status.MET.value)
        assert await uow.contacts.update_held(contact.id, anna.id, status=Status.MET.value)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        await holding.reassign(uow, boss, contact.id, anna.id, clock.now())
    async with UnitOfWork(session_factory) as uow:  # Anna's stage, read before the reassign
        assert not await uow.contacts.update_held(contact.id, anna.id, status=Status.MET.value)
        assert (await uow.contacts.get(contact.id)).status is Status.NEW


async def test_the_release_is_stored_and_keeps_the_old_holder_out(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, contact, offer = await _held_by_anna(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        olga = await uow.members.add(3, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.members.save_profile(olga.id, RUSSIAN)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        await holding.reassign(uow, boss, contact.id, anna.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        stored = await uow.offers.get(offer.id)
        assert (stored.release, stored.released_at) == (Release.REASSIGNED, clock.now())
        assert await uow.offers.release(contact.id, anna.id, Release.LEFT, clock.now()) is None
        view = await build_card(uow, contact.id, clock.now())
    assert [s.member.id for s in view.suggestions] == [olga.id]
    assert view.best_serving is None or view.best_serving.member.id != anna.id  # nor auto-dispatch


async def test_a_hand_back_ranks_the_hand_backer_last(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, contact, offer = await _held_by_anna(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        olga = await uow.members.add(3, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.members.save_profile(olga.id, RUSSIAN)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        await followup.hand_back(uow, anna, contact.id, "moving away", clock.now())
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.offers.get(offer.id)).release is Release.HANDED_BACK
        view = await build_card(uow, contact.id, clock.now())
    assert [s.member.id for s in view.suggestions] == [olga.id, anna.id]


async def test_a_contact_let_go_after_its_alarm_waits_unalarmed_again(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """One undispatched alarm per wait: the alarm's mark is older than the waiting clock a
    reassignment restarts (a comparison of two stored moments, read in one statement)."""
    boss, anna = await team(session_factory, clock)
    contact = await new_contact(session_factory, boss, clock, "Podil")
    clock.advance(hours=6)
    async with UnitOfWork(session_factory) as uow:
        await uow.contacts.set_fields(contact.id, undispatched_alarm_at=clock.now())
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert await uow.contacts.unalarmed([Status.NEW]) == []
        made = await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, made.offer.id, clock.now())
    clock.advance(hours=1)
    async with UnitOfWork(session_factory) as uow:
        await holding.reassign(uow, boss, contact.id, anna.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        assert [c.id for c in await uow.contacts.unalarmed([Status.NEW])] == [contact.id]
