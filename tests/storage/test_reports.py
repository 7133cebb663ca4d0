"""Report figures on a fixed, seeded history: exact numbers."""

from datetime import timedelta

from domain.contacts import CloseReason, ContactDetails, Status
from domain.members import Gender, Profile
from domain.reports import Counters, Period
from domain.roles import Role
from services import answers, dispatch, followup, intake, nags, reports
from services.my_figures import my_figures
from storage.uow import UnitOfWork

TTL = timedelta(hours=24)
H = timedelta(hours=1)


def COMPOSE(locale, offer, contact):  # type: ignore[no-untyped-def]
    return "offer", "{}"


async def history(factory, clock):  # type: ignore[no-untyped-def]
    """Four seekers: one met, one accepted after a decline (and nagged), one spam, one waiting."""
    t0 = clock.now()
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, t0)
        oper = await uow.members.add(2, "Oleh", None, {Role.OPERATOR}, t0)
        anna = await uow.members.add(3, "Anna", None, {Role.MULTIPLIER}, t0)
        olga = await uow.members.add(4, "Olga", None, {Role.MULTIPLIER}, t0)
        for m in (anna, olga):
            await uow.members.save_profile(m.id, Profile(gender=Gender.FEMALE, languages=frozenset({"ru"})))
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        boss, oper, anna, olga = [await uow.members.get(m.id) for m in (boss, oper, anna, olga)]

    async def run(step, *args):  # type: ignore[no-untyped-def]
        async with UnitOfWork(factory) as uow:
            return await step(uow, *args)

    ids = []
    for n in range(4):
        view = await run(intake.create_contact, oper, ContactDetails(
            name=f"Seeker{n} X", phone=f"+38044123456{n}", language="ru"), t0)
        ids.append(view.contact.id)
    def at(delta: timedelta):  # type: ignore[no-untyped-def]
        return t0 + delta
    o1 = await run(dispatch.make_offer, boss, ids[0], anna.id, at(H), 2, TTL, COMPOSE)
    o2 = await run(dispatch.make_offer, boss, ids[1], olga.id, at(H / 2), 2, TTL, COMPOSE)
    await run(answers.decline, olga, o2.offer.id, at(1.5 * H))
    await run(answers.accept, anna, o1.offer.id, at(2 * H))
    o3 = await run(dispatch.make_offer, boss, ids[1], anna.id, at(3 * H), 2, TTL, COMPOSE)
    await run(answers.accept, anna, o3.offer.id, at(4 * H))
    await run(followup.set_stage, anna, ids[0], Status.ATTEMPTED, at(5 * H))
    await run(dispatch.close, boss, ids[2], CloseReason.SPAM, at(6 * H))
    await run(followup.set_stage, anna, ids[0], Status.REACHED, at(24 * H))
    await run(followup.set_stage, anna, ids[0], Status.MET, at(48 * H))
    async with UnitOfWork(factory) as uow:
        assert await nags.record_nag(uow, await uow.contacts.get(ids[1]), at(72 * H))
        await uow.commit()
    return boss, anna, t0


async def test_report_figures_on_a_seeded_history(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, t0 = await history(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        report = await reports.build_report(uow, boss, Period(t0 - H, t0 + timedelta(days=7)), "auto")
    assert report.counters == Counters(new=4, dispatched=2, accepted=2, reached=1, met=1, closed=1,
                                       waiting_now=1)
    assert report.funnel == {Status.MET: 1, Status.ACCEPTED: 1, Status.CLOSED: 1, Status.NEW: 1}
    anna, olga = report.multipliers
    assert (anna.name, anna.offers, anna.accepted, anna.accept_times, anna.first_contact_times,
            anna.overdue_now, anna.met) == ("Anna", 2, 2, [H, H], [3 * H], 1, 1)
    assert (olga.name, olga.offers, olga.accepted, olga.accepted_share, olga.met) == ("Olga", 1, 0, 0.0, 0)
    [boss_row] = report.dispatchers
    assert (boss_row.name, boss_row.offers, sorted(boss_row.waits)) == ("Boss", 3, [H / 2, H, 1.5 * H])
    [oper] = report.operators
    assert (oper.name, oper.entered) == ("Oleh", 4)
    assert sorted(report.dispatch_times) == [H / 2, H]


async def test_a_period_counts_only_what_happened_in_it(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, t0 = await history(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:  # the second day: only the "reached"
        report = await reports.build_report(uow, boss, Period(t0 + 20 * H, t0 + 30 * H), "auto")
    assert report.counters == Counters(reached=1, waiting_now=1)
    assert report.dispatchers == [] and report.dispatch_times == []


async def test_a_multipliers_progress_against_the_target(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, t0 = await history(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await reports.set_target(uow, boss, "anna", 4, t0)
    clock.advance(days=5)
    async with UnitOfWork(session_factory) as uow:
        figures = await my_figures(uow, anna, clock.now())
    p = figures.progress
    assert (p.taken, p.reached, p.met, p.closed, p.target, p.target_share) == (2, 1, 1, 0, 4, 0.25)
    assert figures.holding == 2


async def test_operators_triage_figures(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    from domain.conversations import TriageAction
    from services import triage
    from tests.storage.test_triage_stats import write_in
    start = clock.now()
    async with UnitOfWork(session_factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, start)
        oleh = await uow.members.add(301, "Oleh", None, {Role.OPERATOR}, start)
        await uow.commit()
    a, b, c = [await write_in(session_factory, clock, n, "hi") for n in (501, 502, 503)]
    for minutes, who, conv, action in [(2, oleh, a, TriageAction.CLAIM), (9, oleh, a, TriageAction.READ),
                                       (5, oleh, b, TriageAction.SPAM), (7, boss, c, TriageAction.READ)]:
        clock.current = start + timedelta(minutes=minutes)
        async with UnitOfWork(session_factory) as uow:
            await triage.act(uow, who, conv, action, clock.now())
    async with UnitOfWork(session_factory) as uow:
        report = await reports.build_report(uow, boss, Period(start, start + H), "auto")
    rows = {o.name: (o.triaged, sorted(o.triage_times), o.spam, o.spam_share) for o in report.operators}
    assert rows == {"Oleh": (2, [2 * timedelta(minutes=1), 5 * timedelta(minutes=1)], 1, 0.5),
                    "Boss": (1, [7 * timedelta(minutes=1)], 0, 0.0)}
