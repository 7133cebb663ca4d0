"""The report by source (a funnel per campaign) and by area over time, on a seeded history:
exact numbers, and the same numbers in the CSV table."""

from datetime import date, timedelta

from domain.areas import Area
from domain.contacts import ContactDetails, Status
from domain.members import Profile
from domain.reports import AreaWeek, Period, SourceFunnel
from domain.roles import Role
from services import answers, dispatch, followup, intake, reports
from storage.uow import UnitOfWork
from views.report_texts import table

TTL = timedelta(hours=24)
H = timedelta(hours=1)


def COMPOSE(locale, offer, contact):  # type: ignore[no-untyped-def]
    return "offer", "{}"


async def history(factory, clock):  # type: ignore[no-untyped-def]
    """Thursday 26 Nov: three from "instagram" in Podil (one met, one only reached, one
    waiting), one from "street" in Obolon (offered, declined); Tuesday 1 Dec: one more from
    "street" in Podil, met. Anna serves Podil (capacity 5), Olga Obolon (capacity 3)."""
    t0 = clock.now()
    async with UnitOfWork(factory) as uow:
        for key in ("podil", "obolon"):
            await uow.areas.save(Area(key, key.title(), "Kyiv"))
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, t0)
        anna = await uow.members.add(3, "Anna", None, {Role.MULTIPLIER}, t0)
        olga = await uow.members.add(4, "Olga", None, {Role.MULTIPLIER}, t0)
        await uow.members.save_profile(anna.id, Profile(areas=frozenset({"podil"}), capacity=5))
        await uow.members.save_profile(olga.id, Profile(areas=frozenset({"obolon"}), capacity=3))
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        boss, anna, olga = [await uow.members.get(m.id) for m in (boss, anna, olga)]

    async def run(step, *args):  # type: ignore[no-untyped-def]
        async with UnitOfWork(factory) as uow:
            return await step(uow, *args)

    arrivals = [("instagram", "Podil", t0), ("instagram", "Podil", t0), ("instagram", "Podil", t0),
                ("street", "Obolon", t0), ("street", "Podil", t0 + timedelta(days=5))]
    ids = []
    for n, (source, area, at) in enumerate(arrivals):
        made = await run(intake.create_contact, boss, ContactDetails(
            name=f"Seeker{n}", phone=f"+38044123456{n}", source=source, area=area), at)
        ids.append(made.contact.id)

    async def met(contact_id, at, stages):  # type: ignore[no-untyped-def]
        made = await run(dispatch.make_offer, boss, contact_id, anna.id, at, 2, TTL, COMPOSE)
        await run(answers.accept, anna, made.offer.id, at + H)
        for n, stage in enumerate(stages):
            await run(followup.set_stage, anna, contact_id, stage, at + (2 + n) * H)

    await met(ids[0], t0 + H, [Status.ATTEMPTED, Status.REACHED, Status.MET])
    await met(ids[1], t0 + H, [Status.ATTEMPTED, Status.REACHED])
    declined = await run(dispatch.make_offer, boss, ids[3], olga.id, t0 + H, 2, TTL, COMPOSE)
    await run(answers.decline, olga, declined.offer.id, t0 + 2 * H)
    await met(ids[4], t0 + timedelta(days=5, hours=1), [Status.REACHED, Status.MET])
    return boss, t0


async def test_funnel_by_source_and_seekers_by_area_and_week(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, t0 = await history(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        report = await reports.build_report(uow, boss, Period(t0 - H, t0 + timedelta(days=7)), "auto")
    assert report.sources == [SourceFunnel("instagram", new=3, dispatched=2, reached=2, met=1),
                              SourceFunnel("street", new=2, dispatched=2, reached=1, met=1)]
    assert report.sources[0].conversions == (2 / 3, 1.0, 0.5, 1 / 3)
    assert report.areas == [AreaWeek("obolon", date(2026, 11, 23), 1),
                            AreaWeek("podil", date(2026, 11, 23), 3),
                            AreaWeek("podil", date(2026, 11, 30), 1)]
    # Anna holds three of her five places (met and reached count against capacity)
    assert report.free_capacity == {"podil": 2, "obolon": 3}
    # every step of this history took an hour: the stays that ended, per stage
    assert {stage: len(times) for stage, times in report.stage_times.items()} == {
        Status.NEW: 4, Status.OFFERED: 4, Status.ACCEPTED: 3, Status.ATTEMPTED: 2, Status.REACHED: 2}
    assert {t for times in report.stage_times.values() for t in times} == {H}
    rows = table(report)
    assert ["stage_time", "attempted", "median_minutes", 60.0] in rows
    assert ["source", "street", "met", 1] in rows
    assert ["source", "instagram", "met_share", 0.333] in rows
    assert ["area_week", "podil", "2026-11-30", 1] in rows
    assert ["area_free_capacity", "podil", "free_capacity", 2] in rows


async def test_a_period_is_a_cohort_of_arrivals(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, t0 = await history(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:  # only the Tuesday's arrival
        report = await reports.build_report(uow, boss, Period(t0 + timedelta(days=4),
                                                              t0 + timedelta(days=6)), "auto")
    assert report.sources == [SourceFunnel("street", new=1, dispatched=1, reached=1, met=1)]
    assert report.areas == [AreaWeek("podil", date(2026, 11, 30), 1)]


async def test_who_may_need_help_and_who_is_idle(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Olga said No once in October and three times in November; Anna let two offers lapse
    in November (none before) and was reminded about a seeker she held; Ivan, with free
    places, was never offered anyone: he is idle."""
    from services import nags

    t0 = clock.now()
    async with UnitOfWork(session_factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, t0)
        anna = await uow.members.add(3, "Anna", None, {Role.MULTIPLIER}, t0)
        olga = await uow.members.add(4, "Olga", None, {Role.MULTIPLIER}, t0)
        await uow.members.add(5, "Ivan", None, {Role.MULTIPLIER}, t0)
        await uow.commit()

    async def run(step, *args):  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            return await step(uow, *args)

    async def seeker(n: int, at):  # type: ignore[no-untyped-def]
        made = await run(intake.create_contact, boss, ContactDetails(
            name=f"Seeker{n}", phone=f"+38044765432{n}"), at)
        return made.contact.id

    for n, days_ago in enumerate((40, 20, 15, 10)):
        at = t0 - timedelta(days=days_ago)
        made = await run(dispatch.make_offer, boss, await seeker(n, at), olga.id, at, 2, TTL, COMPOSE)
        await run(answers.decline, olga, made.offer.id, at + H)
    for n in (4, 5):
        at = t0 - timedelta(days=n)
        made = await run(dispatch.make_offer, boss, await seeker(n, at), anna.id, at, 2, TTL, COMPOSE)
        await run(answers.expire_due, made.offer, at + 2 * TTL)
    held = await seeker(6, t0 - timedelta(days=9))
    made = await run(dispatch.make_offer, boss, held, anna.id, t0 - timedelta(days=9), 2, TTL, COMPOSE)
    await run(answers.accept, anna, made.offer.id, t0 - timedelta(days=9) + H)
    async with UnitOfWork(session_factory) as uow:
        assert await nags.record_nag(uow, await uow.contacts.get(held), t0 - timedelta(days=5))
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        report = await reports.build_report(uow, boss, Period(t0 - timedelta(days=7), t0 + H), "auto")
    by_name = {c.name: c for c in report.coaching}
    assert sorted(by_name) == ["Anna", "Olga"]
    assert by_name["Olga"].rose == ["declines"]
    assert (by_name["Olga"].before.declines, by_name["Olga"].now.declines) == (1, 3)
    assert by_name["Anna"].rose == ["lapses"]  # one reminder is below the floor of two
    assert (by_name["Anna"].now.lapses, by_name["Anna"].now.overdue) == (2, 1)
    assert report.idle == [("Ivan", 5)]
    rows = table(report)
    assert ["coaching", "Olga", "declines_30_days_before", 1] in rows
    assert ["idle", "Ivan", "free_places", 5] in rows
