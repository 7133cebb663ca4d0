"""Defects an independent review found in matching, auto-dispatch and reports, kept as
regressions (each failed before its fix)."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.areas import Area, AreaMap, key_tag
from domain.contacts import ContactDetails, Status
from domain.delivery import Purpose
from domain.errors import NoLongerAvailable
from domain.matching import Candidate, MatchPolicy, Place, Pool, Weights
from domain.members import Gender, Member, Profile
from domain.offers import OfferStatus
from domain.reports import Period
from domain.roles import Role
from services import answers, areas, delivery, autodispatch, dispatch, escalations, followup, matching, nags
from services.cards import build_card
from storage.uow import UnitOfWork
from tests.storage.test_matching_services import COMPOSE, TTL, new_contact, team

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _member(mid: int, name: str, areas: set[str], travel: int = 0, cap: int = 5) -> Member:
    return Member(id=mid, tg_user_id=mid, name=name, username=None, roles=frozenset({Role.MULTIPLIER}),
                  profile=Profile(gender=Gender.FEMALE, languages=frozenset({"ru"}),
                                  areas=frozenset(areas), capacity=cap, travel_km=travel))


KYIV = AreaMap({"podil": Area("podil", "Podil", "Kyiv", 50.46, 30.52),
                "obolon": Area("obolon", "Obolon", "Kyiv", 50.50, 30.50)},
               frozenset({frozenset({"podil", "obolon"})}))
SEEKER = ContactDetails(name="Maria", gender=Gender.FEMALE, language="ru", area="Podil")


# 1. Pool.serves treats a zero weight as "nothing closer is left".
def test_serves_with_same_area_weight_zero() -> None:
    policy = MatchPolicy(weights=Weights(same_area=0.0))  # `/matching same_area 0` is accepted
    pool = Pool([Candidate(_member(1, "Anna", {"podil"}), 0)], policy)
    assert pool.serves(SEEKER, Place("podil", KYIV), NOW)  # Anna works in Podil


def test_serves_with_neighbour_weight_zero() -> None:
    policy = MatchPolicy(weights=Weights(neighbour_area=0.0))
    pool = Pool([Candidate(_member(1, "Olga", {"obolon"}), 0)], policy)
    assert pool.serves(SEEKER, Place("podil", KYIV), NOW)  # Obolon is Podil's neighbour


# 2. Auto-dispatch offers to the best multiplier who covers the seeker's area, even when
#    someone far away ranks higher (a person decides about far ones).
async def test_auto_dispatch_skips_a_higher_ranked_far_multiplier(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await areas.save_area(uow, boss, "Podil | Kyiv | 50.46, 30.52", clock.now())
    async with UnitOfWork(session_factory) as uow:
        await areas.save_area(uow, boss, "Lviv | Lviv | 49.84, 24.03", clock.now())
    async with UnitOfWork(session_factory) as uow:
        lena = await uow.members.add(9, "Lena", None, {Role.MULTIPLIER}, clock.now())
        await uow.members.save_profile(lena.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"}),
                                                        areas=frozenset({"lviv"})))
        await uow.members.save_profile(anna.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"}),
                                                        areas=frozenset({"podil"}), capacity=2))
        await uow.commit()
    for name, value in (("free_capacity", "10"), ("same_area", "0.5")):
        async with UnitOfWork(session_factory) as uow:
            await matching.change_policy(uow, boss, name, value, clock.now())
    held = await new_contact(session_factory, boss, clock, "Podil", "Ira Sydorenko")
    async with UnitOfWork(session_factory) as uow:  # Anna holds one: half her places are free
        made = await dispatch.make_offer(uow, boss, held.id, anna.id, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, made.offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "auto", "on", clock.now())
    contact = await new_contact(session_factory, boss, clock, "Podil", "Olena Koval")
    async with UnitOfWork(session_factory) as uow:
        step = await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE)
        await uow.commit()
    assert [s.member.name for s in step.card.suggestions] == ["Lena", "Anna"]  # Lena ranks first
    assert step.multiplier is not None and step.multiplier.name == "Anna"


# 3. An automatic offer's conditional update accepts ON_HOLD and ignores auto_dispatch:
#    a dispatcher's Hold between the job's read and its write is overridden.
async def test_auto_offer_after_dispatcher_hold(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "auto", "on", clock.now())
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:  # the job reads the contact...
        stale = await uow.contacts.get(contact.id)
    assert stale.auto_dispatch and stale.status is Status.NEW
    async with UnitOfWork(session_factory) as uow:  # ...a dispatcher presses Hold...
        await dispatch.hold(uow, boss, contact.id, clock.now())
    async with UnitOfWork(session_factory) as uow:  # ...the job writes its offer
        with pytest.raises(NoLongerAvailable):
            await dispatch.place_offer(uow, None, stale, anna, clock.now(), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        after = await uow.contacts.get(contact.id)
    assert after.status is Status.ON_HOLD, f"held contact was auto-offered: {after.status}"


# 4. Escalation "reassign" (a dispatcher action) and hand-back leave auto_dispatch on; the
#    next run offers the contact straight back to the multiplier who was escalated.
async def _anna_in_podil(factory, anna):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        await uow.members.save_profile(anna.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"}),
                                                        areas=frozenset({"podil"})))
        await uow.commit()


async def test_reassign_after_escalation_does_not_resume_auto_dispatch(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    await _anna_in_podil(session_factory, anna)
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "auto", "on", clock.now())
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:
        step = await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE)
        await uow.commit()
    assert step.offer is not None and step.multiplier.id == anna.id
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, step.offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        c = await uow.contacts.get(contact.id)
        await nags.escalate(uow, c, clock.now())
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        await escalations.answer(uow, boss, contact.id, "reassign", clock.now(), lambda locale, c: ("x", "{}"))
    async with UnitOfWork(session_factory) as uow:
        again = await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE)
        await uow.commit()
    assert again is None, f"auto-dispatch offered it again to {again.multiplier and again.multiplier.name}"


async def test_hand_back_does_not_resume_auto_dispatch_to_same_person(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    await _anna_in_podil(session_factory, anna)
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "auto", "on", clock.now())
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:
        step = await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, step.offer.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        await followup.hand_back(uow, anna, contact.id, "cannot", clock.now())
    async with UnitOfWork(session_factory) as uow:
        again = await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE)
        await uow.commit()
    assert again is None or again.multiplier is None or again.multiplier.id != anna.id, \
        "the contact Anna just handed back was auto-offered to Anna again"


# 5. Dispatcher wait after a lapsed offer is measured from the offer's creation, not the lapse.
async def test_dispatcher_wait_after_a_lapse(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    t0 = clock.now()
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:
        first = (await dispatch.make_offer(uow, boss, contact.id, anna.id, t0, 2, TTL, COMPOSE)).offer
    async with UnitOfWork(session_factory) as uow:  # lapses at t0 + 24h
        assert await answers.expire_offer(uow, first, t0 + TTL)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:  # re-offered 1h after it lapsed
        await dispatch.make_offer(uow, boss, contact.id, anna.id, t0 + TTL + timedelta(hours=1), 2, TTL, COMPOSE)
    async with UnitOfWork(session_factory) as uow:
        rows = await uow.reports.dispatchers(Period(t0, t0 + timedelta(days=3)), "auto")
    assert sorted(rows[0].waits) == [timedelta(0), timedelta(hours=1)], rows[0].waits


# 6. A guess button is an index recomputed at press time: after the list changes it maps
#    the contact to a different area than the button said.
async def test_map_guess_button_after_list_changed(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await areas.save_area(uow, boss, "Podil | Kyiv", clock.now())
    async with UnitOfWork(session_factory) as uow:
        await areas.save_area(uow, boss, "Pechersk | Kyiv", clock.now())
    contact = await new_contact(session_factory, boss, clock, "Pdl")
    async with UnitOfWork(session_factory) as uow:
        shown = (await build_card(uow, contact.id, clock.now())).area_guesses
        await uow.commit()
    assert shown and shown[0] == "podil", shown
    async with UnitOfWork(session_factory) as uow:  # an admin adds an area meanwhile
        await areas.save_area(uow, boss, "Pidl | Kyiv", clock.now())
    async with UnitOfWork(session_factory) as uow:  # the dispatcher presses "📍 Podil?"
        view = await areas.map_contact(uow, boss, contact.id, None, key_tag("podil"), clock.now())
    assert view.contact.area_key == "podil", view.contact.area_key


# 7. Reminders/escalations count against whoever holds the contact NOW, not who was nagged.
async def test_reminders_count_against_the_multiplier_who_was_nagged(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        olga = await uow.members.add(9, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.members.save_profile(olga.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"})))
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        olga = await uow.members.get(olga.id)
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:
        o = (await dispatch.make_offer(uow, boss, contact.id, anna.id, clock.now(), 2, TTL, COMPOSE)).offer
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, anna, o.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        c = await uow.contacts.get(contact.id)
        assert await nags.record_nag(uow, c, clock.now())
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        c = await uow.contacts.get(contact.id)
        await nags.escalate(uow, c, clock.now())
        await uow.commit()
    clock.advance(hours=1)
    async with UnitOfWork(session_factory) as uow:
        await escalations.answer(uow, boss, contact.id, "reassign", clock.now(), lambda locale, c: ("x", "{}"))
    async with UnitOfWork(session_factory) as uow:
        o2 = (await dispatch.make_offer(uow, boss, contact.id, olga.id, clock.now(), 2, TTL, COMPOSE)).offer
    async with UnitOfWork(session_factory) as uow:
        await answers.accept(uow, olga, o2.id, clock.now())
    async with UnitOfWork(session_factory) as uow:
        tracks = await uow.tracks.for_members([anna.id, olga.id], clock.now())
    got = {n: (t.recent_nags, t.recent_escalations) for n, t in (("anna", tracks[anna.id]), ("olga", tracks[olga.id]))}
    assert got == {"anna": (1, 1), "olga": (0, 0)}, got


# 8. Two auto-dispatch runs at once (interval job + OnDemand kick) hand the same contact over
#    once (the defect showed on PostgreSQL's READ COMMITTED; SQLite serialises the two).
async def test_concurrent_hand_over_happens_once(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    boss, _anna = await team(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await matching.change_policy(uow, boss, "auto", "on", clock.now())
    contact = await new_contact(session_factory, boss, clock, "Atlantis")  # nobody serves it
    async with UnitOfWork(session_factory) as uow:
        await uow.contacts.set_fields(contact.id, auto_dispatch=True)
        await uow.commit()

    async def second_run() -> None:
        async with UnitOfWork(session_factory) as uow:
            if await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE):
                await uow.commit()

    async with UnitOfWork(session_factory) as uow:
        first = await autodispatch.step(uow, contact.id, clock.now(), 2, TTL, COMPOSE)
        assert first is not None and first.handed_over == "unserved"
        other = asyncio.create_task(second_run())
        await asyncio.sleep(0.2)  # the other run reads meanwhile (or waits for SQLite's lock)
        await uow.commit()
    await other
    async with UnitOfWork(session_factory) as uow:
        actions = [r.action for r in await uow.audit.for_entity("contact", contact.id)]
    assert actions.count("auto_handover") == 1, actions


# 9. A member name with '$...$' is parsed as matplotlib mathtext: /report crashes after the text.
def test_chart_survives_dollar_signs_in_names() -> None:
    from views.report_charts import ChartText, render
    png = render(ChartText("t", "c", [("new", 1)], "m", "o", "a", [("Anna $^$", 2, 1)], "d",
                           [("<1h", 1)], "e"))
    assert png[:4] == b"\x89PNG"


async def _offer_row(factory, offer_id: int):  # type: ignore[no-untyped-def]
    """The offer's message as the sender holds it while it travels."""
    async with UnitOfWork(factory) as uow:
        [row] = [r for r in await uow.outbox.due(NOW + timedelta(days=1), 50, 50, "test")
                 if r.purpose == Purpose.OFFER and r.ref_id == offer_id]
    return row


@pytest.mark.parametrize("answer", ["accept", "decline", "withdraw"])
async def test_an_offer_answered_before_its_delivery_was_saved_keeps_its_buttons(
        session_factory, clock, answer: str) -> None:  # type: ignore[no-untyped-def]
    """A clean-clone CI run: Anna pressed Yes before the sender saved the offer's delivery,
    which then took the stage buttons her Yes had drawn. Only a withdrawal or an expiry
    (nobody redrew her copy) takes the buttons away."""
    boss, anna = await team(session_factory, clock)
    contact = await new_contact(session_factory, boss, clock, "Podil")
    async with UnitOfWork(session_factory) as uow:
        offer = await dispatch.place_offer(uow, boss.id, contact, anna, clock.now(), 2, TTL,
                                           COMPOSE)
        await uow.commit()
    row = await _offer_row(session_factory, offer.id)
    async with UnitOfWork(session_factory) as uow:
        if answer == "accept":
            await answers.accept(uow, anna, offer.id, clock.now())
        elif answer == "decline":
            await answers.decline(uow, anna, offer.id, clock.now())
        else:
            await uow.offers.transition(offer.id, OfferStatus.PENDING, OfferStatus.WITHDRAWN,
                                        answered_at=clock.now())
            await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        stale = await delivery.delivered(uow, row, 77, clock.now())
    assert stale is (answer == "withdraw")
