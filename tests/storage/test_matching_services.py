"""Areas, policy and track records over a real database, with exact numbers."""

from datetime import timedelta

import pytest

from domain.contacts import ContactDetails, Status
from domain.errors import NotAllowed, UnknownPlaces
from domain.matching import GenderRule
from domain.members import Gender, Profile
from domain.roles import Role
from services import answers, areas, dispatch, followup, intake, matching, nags, supply
from storage.uow import UnitOfWork

TTL = timedelta(hours=24)


def COMPOSE(locale, offer, contact):  # type: ignore[no-untyped-def]
    return "offer", "{}"


async def team(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, clock.now())
        anna = await uow.members.add(2, "Anna", None, {Role.MULTIPLIER}, clock.now())
        await uow.members.save_profile(anna.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"})))
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        return await uow.members.get(boss.id), await uow.members.get(anna.id)


PHONES = iter(range(1_000_000, 2_000_000))


async def new_contact(factory, boss, clock, area: str, name: str = "Maria Ivanova"):  # type: ignore[no-untyped-def]
    """A different seeker each time (a distinct phone: the same one would be a duplicate)."""
    async with UnitOfWork(factory) as uow:
        view = await intake.create_contact(uow, boss, ContactDetails(
            name=name, phone=f"+38044{next(PHONES)}", gender=Gender.FEMALE, language="ru",
            area=area), clock.now())
    return view.contact


async def test_areas_map_new_and_waiting_contacts_and_refuse_unknown_places(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    early = await new_contact(session_factory, boss, clock, "Podol")
    assert early.area_key == "podol"  # no list yet: compared as typed, folded
    async with UnitOfWork(session_factory) as uow:
        area, mapped = await areas.save_area(uow, boss, "Podil | Kyiv | 50.46, 30.52 | Подол, Podol", clock.now())
    assert (area.key, area.city, area.lat, mapped) == ("podil", "Kyiv", 50.46, 0)
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NotAllowed):
            await areas.save_area(uow, anna, "Obolon", clock.now())
    late = await new_contact(session_factory, boss, clock, "Подол")
    assert late.area_key == "podil"  # an alias, in Cyrillic
    async with UnitOfWork(session_factory) as uow:
        unknown = await new_contact(session_factory, boss, clock, "Obolon")
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.contacts.get(unknown.id)).area_key is None
        _, mapped = await areas.save_area(uow, boss, "Obolon | Kyiv", clock.now())
    assert mapped == 1  # the waiting contact in Obolon is mapped when the area is added
    async with UnitOfWork(session_factory) as uow:
        assert await areas.resolve_places(uow, "Подол, obolon") == {"podil", "obolon"}
        with pytest.raises(UnknownPlaces) as refused:
            await areas.resolve_places(uow, "Podil, Atlantis, Mordor")
    assert refused.value.names == ["Atlantis", "Mordor"]


async def test_policy_is_stored_and_audited(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "gender", "required", clock.now())
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "same_area", "7", clock.now())
    async with UnitOfWork(session_factory) as uow:
        policy = await uow.settings.match_policy()
        assert (policy.gender_rule, policy.weights.same_area) == (GenderRule.REQUIRED, 7.0)
        assert len(await uow.audit.recent("settings", ["matching"], clock.now() - timedelta(days=1))) == 2
        with pytest.raises(NotAllowed):
            await matching.change_policy(uow, anna, "auto", "on", clock.now())


async def test_track_record_counts_offers_answers_promises_and_reminders(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    ids = [(await new_contact(session_factory, boss, clock, "Podil", f"Seeker{i} X")).id for i in range(4)]

    async def offer(contact_id: int):  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            return (await dispatch.make_offer(uow, boss, contact_id, anna.id, clock.now(), 2, TTL, COMPOSE)).offer

    first = await offer(ids[0])
    clock.advance(hours=1)
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, first.id, clock.now())
    clock.advance(days=1)
    async with UnitOfWork(session_factory) as uow:
        await followup.set_stage(uow, anna, ids[0], Status.REACHED, clock.now())  # in time
    second = await offer(ids[1])
    clock.advance(hours=3)
    async with UnitOfWork(session_factory) as uow:
        await answers.decline(uow, anna, second.id, clock.now())
    third = await offer(ids[2])
    clock.advance(hours=2)
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, third.id, clock.now())
    clock.advance(days=3)  # third: promised days over, never reached
    async with UnitOfWork(session_factory) as uow:
        contact = await uow.contacts.get(ids[2])
        assert await nags.record_nag(uow, contact, clock.now())
        await uow.commit()
    last = await offer(ids[3])  # pending: not judged yet
    async with UnitOfWork(session_factory) as uow:
        track = (await uow.tracks.for_members([anna.id], clock.now()))[anna.id]
    assert (track.offers, track.accepted, track.judged, track.in_time) == (3, 2, 2, 1)
    assert track.median_answer == timedelta(hours=2)
    assert (track.recent_nags, track.recent_escalations) == (1, 0)
    assert track.last_offer_at == last.created_at


async def test_supply_counts_demand_capacity_unserved_and_idle(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await areas.save_area(uow, boss, "Podil | Kyiv | 50.46, 30.52", clock.now())
    async with UnitOfWork(session_factory) as uow:
        await areas.save_area(uow, boss, "Lviv | Lviv | 49.84, 24.03", clock.now())
    async with UnitOfWork(session_factory) as uow:
        await uow.members.save_profile(anna.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"}),
                                                        areas=frozenset({"podil"}), capacity=2))
        await uow.commit()
    clock.advance(days=-40)
    await new_contact(session_factory, boss, clock, "Podil", "Old One")  # waiting, not new
    clock.advance(days=40)
    for name in ("A B", "C D"):
        await new_contact(session_factory, boss, clock, "Lviv", name)
    await new_contact(session_factory, boss, clock, "", "E F")
    async with UnitOfWork(session_factory) as uow:
        report, names = await supply.report(uow, boss, clock.now())
    rows = {r.key: (r.waiting, r.new_recent, r.multipliers, r.free_capacity, r.shortfall)
            for r in report.by_area}
    assert rows == {"podil": (1, 0, 1, 2, 0), "lviv": (2, 2, 0, 0, 2), "": (1, 1, 0, 0, 1)}
    assert {r.key: r.waiting for r in report.by_language} == {"ru": 4}
    assert [r.key for r in report.needs_workers] == ["lviv"]
    assert [c.details.name for c in report.unserved] == ["A B", "C D"]
    assert [c.member.name for c in report.idle] == ["Anna"]
    assert names["lviv"] == "Lviv"


async def test_a_kept_track_record_follows_reminders_and_the_clock(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Records are kept between cards: a new reminder, an escalation, promised days running
    out and a reminder leaving the 30 days each show at the next read."""
    boss, anna = await team(session_factory, clock)
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:
        offer = (await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL,
                                           COMPOSE)).offer
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, offer.id, clock.now())

    async def read():  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            t = (await uow.tracks.for_members([anna.id], clock.now()))[anna.id]
        return t.judged, t.recent_nags, t.recent_escalations

    assert await read() == (0, 0, 0)
    clock.advance(days=2, seconds=1)  # the promised days ran out: judged, not in time
    assert await read() == (1, 0, 0)
    async with UnitOfWork(session_factory) as uow:
        assert await nags.record_nag(uow, await uow.contacts.get(contact.id), clock.now())
        await uow.commit()
    assert await read() == (1, 1, 0)
    async with UnitOfWork(session_factory) as uow:  # a rolled-back reminder is never counted
        assert await nags.record_nag(uow, await uow.contacts.get(contact.id), clock.now())
        assert (await uow.tracks.for_members([anna.id], clock.now()))[anna.id].recent_nags == 2
        await uow.rollback()
    assert await read() == (1, 1, 0)
    clock.advance(days=1)
    async with UnitOfWork(session_factory) as uow:
        await nags.escalate(uow, await uow.contacts.get(contact.id), clock.now())
        await uow.commit()
    assert await read() == (1, 1, 1)
    clock.advance(days=29, hours=23)  # the reminder is 30 days old and a bit: out
    assert await read() == (1, 0, 1)


async def test_kept_offers_are_left_out_of_the_collectors_walks(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Tens of thousands of offers are kept between cards: a full collection walking each of
    them was a ~50 ms pause in a press. What is kept is plain tuples the collector drops."""
    import gc

    from storage.repositories import tracks

    boss, anna = await team(session_factory, clock)
    for name in ("A B", "C D"):
        contact = await new_contact(session_factory, boss, clock, "Podil", name)
        async with UnitOfWork(session_factory) as uow:
            await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        track = (await uow.tracks.for_members([anna.id], clock.now()))[anna.id]
        kept = tracks._kept[(str(uow.session.bind.url), anna.id)]
    gc.collect()
    assert len(kept.offers) == 2 and track.last_offer_at is not None
    assert not any(gc.is_tracked(fields) for fields in kept.offers)
