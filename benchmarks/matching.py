"""Benchmark: matching at scale, and a day of dispatch through the real use cases.

    python -m benchmarks.matching [--multipliers 10000] [--rank-contacts 300] [--contacts 2000] [--team 300]

1. Rank 10,000 multipliers for one contact: the pruned exact top-3 (domain.matching.Pool) vs
   judging everyone (domain.matching.explain, the baseline), same pool, same contacts.
2. A day of 2,000 contacts on SQLite: create the contact (with its card and ranking), offer it
   to the best suggestion, accept. Prints p50/p99 per contact and throughput.
"""

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.areas import Area, AreaMap
from domain.contacts import ContactDetails
from domain.matching import Candidate, MatchPolicy, Place, Pool, explain
from domain.members import Gender, Member, Profile
from domain.reliability import Track
from domain.roles import Role

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
LANGUAGES = ["ru", "uk", "en"]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def city(rnd: random.Random, n_areas: int) -> AreaMap:
    areas = {f"a{i}": Area(f"a{i}", f"Area {i}", "City", 50 + rnd.random(), 30 + rnd.random())
             for i in range(n_areas)}
    links = frozenset(frozenset((f"a{i}", f"a{i + 1}")) for i in range(n_areas - 1))
    return AreaMap(areas, links)


def multipliers(rnd: random.Random, n: int, areas: AreaMap) -> list[Candidate]:
    keys = list(areas.areas)
    pool = []
    for i in range(n):
        profile = Profile(gender=rnd.choice([Gender.FEMALE, Gender.MALE]),
                          languages=frozenset(rnd.sample(LANGUAGES, rnd.randint(1, 2))),
                          areas=frozenset(rnd.sample(keys, rnd.randint(1, 3))),
                          capacity=rnd.randint(3, 8), travel_km=rnd.choice([0, 5, 15]))
        member = Member(i + 1, i + 1, f"M{i}", frozenset({Role.MULTIPLIER}), profile=profile)
        track = Track(offers=rnd.randint(0, 30), accepted=rnd.randint(0, 20),
                      judged=rnd.randint(0, 10), in_time=rnd.randint(0, 10),
                      median_answer=timedelta(minutes=rnd.randint(5, 600)),
                      recent_nags=rnd.choice([0, 0, 0, 1, 2]),
                      last_offer_at=NOW - timedelta(hours=rnd.randint(1, 1000)))
        pool.append(Candidate(member, rnd.randint(0, 8), track))
    return pool


def name(rnd: random.Random) -> str:
    """A made-up two-word name, so that seekers are not each other's fuzzy duplicates."""
    def word() -> str:
        return "".join(rnd.choice("bdklmnprstvz") + rnd.choice("aeiou") for _ in range(3)).title()
    return f"{word()} {word()}"


def seekers(rnd: random.Random, n: int, areas: AreaMap) -> list[tuple[ContactDetails, str | None]]:
    keys = [*areas.areas, None]
    return [(ContactDetails(name=name(rnd), gender=rnd.choice(list(Gender)),
                            language=rnd.choice(LANGUAGES)), rnd.choice(keys)) for _ in range(n)]


def bench_rank(n_multipliers: int, n_contacts: int) -> int:
    """Returns how many rankings differ from the baseline (should be 0)."""
    rnd = random.Random(7)
    areas = city(rnd, 150)
    candidates = multipliers(rnd, n_multipliers, areas)
    policy = MatchPolicy()
    started = time.perf_counter()
    pool = Pool(candidates, policy)
    build_ms = (time.perf_counter() - started) * 1000
    fast, full, mismatches = [], [], 0
    for details, key in seekers(rnd, n_contacts, areas):
        place = Place(key, areas)
        t0 = time.perf_counter()
        top = pool.rank(details, place, NOW)
        t1 = time.perf_counter()
        everyone = [v.suggestion for v in explain(details, Place(key, areas), candidates, NOW, policy)
                    if v.suggestion][:3]
        t2 = time.perf_counter()
        fast.append((t1 - t0) * 1000)
        full.append((t2 - t1) * 1000)
        mismatches += [s.member.id for s in top] != [s.member.id for s in everyone]
    print(f"rank {n_multipliers:,} multipliers for one contact, {n_contacts} contacts, 150 areas:")
    print(f"  pool build (once per pool):  {build_ms:8.2f} ms")
    print(f"  pruned top-3 (Pool.rank):    p50 {percentile(fast, 50):7.3f} ms   p99 {percentile(fast, 99):7.3f} ms")
    print(f"  judge everyone (baseline):   p50 {percentile(full, 50):7.3f} ms   p99 {percentile(full, 99):7.3f} ms")
    print(f"  speed-up at p50: {percentile(full, 50) / percentile(fast, 50):.0f}x; "
          f"results differing from the baseline: {mismatches}")
    return mismatches


async def bench_day(n_contacts: int, team_size: int) -> None:
    from services import answers, dispatch, intake
    from storage.engine import create_engine, create_session_factory
    from storage.migrate import upgrade
    from storage.uow import UnitOfWork

    rnd = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/day.db"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        factory = create_session_factory(engine)
        areas = city(rnd, 30)
        async with UnitOfWork(factory) as uow:
            for area in areas.areas.values():
                await uow.areas.save(area)
            boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER, Role.OPERATOR}, NOW)
            for c in multipliers(rnd, team_size, areas):
                m = await uow.members.add(c.member.id + 1, c.member.name, None, {Role.MULTIPLIER}, NOW)
                await uow.members.save_profile(m.id, replace(c.member.profile, capacity=50))
            await uow.commit()
        async with UnitOfWork(factory) as uow:
            boss = await uow.members.get(boss.id)
            members = {m.id: m for m in await uow.members.list_all()}
        timings, started = [], time.perf_counter()
        for i, (details, key) in enumerate(seekers(rnd, n_contacts, areas)):
            now = NOW + timedelta(seconds=40 * i)  # 2,000 contacts over a day
            details = replace(details, phone=f"+38044{i:07d}", area=areas.name(key) if key else "")
            t0 = time.perf_counter()
            async with UnitOfWork(factory) as uow:
                contact = (await intake.create_contact(uow, boss, details, now)).contact
            async with UnitOfWork(factory) as uow:  # the card, as the outbox draws it
                view = await dispatch.card(uow, boss, contact.id, now)
            if view.suggestions:
                best = view.suggestions[0].member
                async with UnitOfWork(factory) as uow:
                    made = await dispatch.make_offer(uow, boss, view.contact.id, best.id, now, 2,
                                                     timedelta(hours=24), lambda locale, o, c: ("offer", "{}"))
                async with UnitOfWork(factory) as uow:
                    await answers.accept(uow, members[best.id], made.offer.id, now)
            timings.append((time.perf_counter() - t0) * 1000)
        total = time.perf_counter() - started
        await engine.dispose()
    print(f"a day of {n_contacts:,} contacts, {team_size} multipliers, SQLite "
          "(create + card + ranking, offer, accept):")
    print(f"  per contact: p50 {percentile(timings, 50):.1f} ms   p99 {percentile(timings, 99):.1f} ms   "
          f"mean {statistics.mean(timings):.1f} ms")
    print(f"  throughput: {n_contacts / total:.1f} contacts/s ({total:.1f} s in all)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multipliers", type=int, default=10_000)
    parser.add_argument("--rank-contacts", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--team", type=int, default=300)
    args = parser.parse_args()
    mismatches = bench_rank(args.multipliers, args.rank_contacts)
    asyncio.run(bench_day(args.contacts, args.team))
    if mismatches:
        print(f"the pruned ranking differs from judging everyone for {mismatches} contacts")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
