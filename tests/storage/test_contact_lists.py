"""Listing contacts by filter and counting arrival batches on a real database; a burst-sized
import holds its cards and queues one summary."""

from datetime import timedelta

from domain.bursts import BURST_WINDOW
from domain.contact_filters import ContactFilter
from domain.contacts import ContactDetails, Status
from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.delivery import Purpose
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services.importing import run_import
from services.notify import NO_QUIET
from storage.uow import UnitOfWork


async def test_the_listing_selects_by_every_filter_part(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    async with UnitOfWork(session_factory) as uow:
        anna = await uow.members.add(2, "Anna", None, {Role.MULTIPLIER}, now)
        ids = [(await uow.contacts.add(ContactDetails(f"S{n}", phone=f"+38044123{n:04d}",
                                                      source=f"csv:Leads_{n % 2}.csv"),
                                       None, now)).id for n in range(6)]
        await uow.contacts.set_fields(ids[0], status=Status.REACHED.value, assignee_id=anna.id,
                                      nag_count=1, area_key="podil")
        await uow.contacts.set_fields(ids[1], status=Status.MET.value, assignee_id=anna.id)
        await uow.contacts.set_fields(ids[2], status=Status.CLOSED.value)
        await uow.commit()

        async def chosen(**parts: object) -> list[int]:
            found, total = await uow.contacts.listing(ContactFilter(**parts), 0, 10)
            assert total == len(found)
            return [c.id for c in found]

        assert await chosen() == [ids[5], ids[4], ids[3], ids[1], ids[0]]  # open, newest first
        assert await chosen(stages=frozenset({Status.CLOSED})) == [ids[2]]
        assert await chosen(multiplier_id=anna.id) == [ids[1], ids[0]]
        assert await chosen(overdue=True) == [ids[0]]
        assert await chosen(area_key="podil") == [ids[0]]
        assert await chosen(source="leads_1") == [ids[5], ids[3], ids[1]]  # any case
        assert await chosen(source="100%") == []  # a wildcard is a letter here
        page, total = await uow.contacts.listing(ContactFilter(), 3, 2)
        assert ([c.id for c in page], total) == ([ids[1], ids[0]], 5)


async def test_a_batch_counts_its_arrivals_within_its_window(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    async with UnitOfWork(session_factory) as uow:
        first = await uow.contacts.add(ContactDetails("A", phone="+380441230001"), None, now)
        second = await uow.contacts.add(ContactDetails("B", phone="+380441230002"), None, now)
        batch = await uow.contacts.new_batch("api:web", now)
        assert await uow.contacts.join_batch(first.id, batch.id) == 1
        assert await uow.contacts.join_batch(second.id, batch.id) == 2
        await uow.commit()
        assert (await uow.contacts.open_batch("api:web", now + timedelta(seconds=59))).id \
            == batch.id
        assert await uow.contacts.open_batch("api:web", now + BURST_WINDOW) is None
        assert await uow.contacts.open_batch("api:other", now) is None
        stored = await uow.contacts.batch(batch.id)
        assert (stored.count, stored.channel) == (2, "api:web")
        assert (await uow.contacts.get(second.id)).batch_id == batch.id


async def test_an_import_of_more_than_ten_rows_posts_one_summary_and_no_card(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
        await uow.settings.set(TEAM_CHAT, "-100")
        await uow.commit()
    table = read_table(("name,phone\n" + "".join(f"S{n},+38044123{n:04d}\n"
                                                  for n in range(12))).encode())
    async with UnitOfWork(session_factory) as uow:
        report = await run_import(uow, boss, "leads.csv", table,
                                  plan_import(table, "UA", "csv:leads.csv"), clock.now(),
                                  NO_QUIET, lambda *a: "", lambda *a: "")
        assert len(report.imported) == 12
        assert not await uow.outbox.queued(Purpose.CARD, report.imported[0])
        assert await uow.outbox.queued(Purpose.BURST, 1)
        held, total = await uow.contacts.listing(ContactFilter(batch_id=1), 0, 20)
        assert total == 12 and all(c.card_held for c in held)
        assert [c.id for c in held] == report.imported  # in the order they arrived


async def test_the_nag_jobs_first_cut_reads_only_who_may_be_due(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Held, not escalated, the stage started by the cut (or created by it when no stage was
    recorded), not reminded after the interval's start; boundaries included."""
    now = clock.now()
    started_by, nagged_by = now - timedelta(days=1), now - timedelta(hours=24)
    async with UnitOfWork(session_factory) as uow:
        anna = await uow.members.add(2, "Anna", None, {Role.MULTIPLIER}, now)
        rows = {
            "due": dict(stage_changed_at=started_by),
            "fresh": dict(stage_changed_at=started_by + timedelta(seconds=1)),
            "never staged": dict(stage_changed_at=None),
            "nagged long ago": dict(stage_changed_at=started_by, last_nag_at=nagged_by),
            "nagged lately": dict(stage_changed_at=started_by,
                                  last_nag_at=nagged_by + timedelta(seconds=1)),
            "escalated": dict(stage_changed_at=started_by, escalated_at=now),
            "closed": dict(stage_changed_at=started_by, status=Status.CLOSED.value),
        "reached lately": dict(stage_changed_at=now + timedelta(seconds=1),
                               status=Status.REACHED.value),
        }
        ids = {}
        for name, fields in rows.items():
            made = await uow.contacts.add(ContactDetails(name), None,
                                          started_by if name == "never staged" else now)
            await uow.contacts.set_fields(made.id, **{"status": Status.ACCEPTED.value,
                                                      "assignee_id": anna.id, **fields})
            ids[made.id] = name
        await uow.commit()
        found = await uow.contacts.nag_candidates({Status.ACCEPTED: started_by,
                                                   Status.REACHED: now}, nagged_by)
        assert sorted(ids[c.id] for c in found) == ["due", "nagged long ago", "never staged"]
        later = await uow.contacts.nag_candidates(  # each status by its own time
            {Status.ACCEPTED: started_by - timedelta(seconds=1)}, nagged_by)
        assert later == []
        assert await uow.contacts.nag_candidates({}, nagged_by) == []


async def test_many_contacts_are_read_by_id_at_once(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        a = await uow.contacts.add(ContactDetails("A"), None, clock.now())
        b = await uow.contacts.add(ContactDetails("B"), None, clock.now())
        await uow.commit()
        found = await uow.contacts.get_many([b.id, a.id, b.id + 100])
        assert {i: c.details.name for i, c in found.items()} == {a.id: "A", b.id: "B"}
        assert await uow.contacts.get_many([]) == {}


async def test_the_auto_close_read_finds_the_stage_begun_by_the_bound(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """in_stage_since: the job's due contacts, read from the stage's clock (its change, else
    the contact's creation), the bound included; other statuses and later stages left out."""
    now = clock.now()
    async with UnitOfWork(session_factory) as uow:
        ids = [(await uow.contacts.add(ContactDetails(f"S{n}", phone=f"+38044123{n:04d}"),
                                       None, now - timedelta(days=9))).id for n in range(4)]
        cnr = Status.COULD_NOT_REACH.value
        await uow.contacts.set_fields(ids[0], status=cnr, stage_changed_at=now - timedelta(days=7))
        await uow.contacts.set_fields(ids[1], status=cnr, stage_changed_at=now - timedelta(days=6))
        await uow.contacts.set_fields(ids[2], status=cnr)  # no stage time: created 9 days ago
        await uow.contacts.set_fields(ids[3], status=Status.REACHED.value,
                                      stage_changed_at=now - timedelta(days=8))
        await uow.commit()
        found = await uow.contacts.in_stage_since(Status.COULD_NOT_REACH, now - timedelta(days=7))
        assert sorted(c.id for c in found) == [ids[0], ids[2]]
