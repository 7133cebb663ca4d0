"""A CSV import on a real database: each row meets the same intake rule as a contact
entered by hand, a broken row or file never loses the others' report."""

from sqlalchemy import func, select

from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.errors import InvalidInput
from domain.roles import Role
from services.importing import run_import
from services.notify import NO_QUIET
from storage.models import ContactRow
from storage.uow import UnitOfWork


def touch(locale, contact, match, who) -> str:  # type: ignore[no-untyped-def]
    return f"touch #{contact.id} for {who}"


def imported(locale: str, n: int, name: str) -> str:
    return f"{n} from {name}"


async def import_bytes(factory, clock, data: bytes):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
        await uow.commit()
    table = read_table(data)
    async with UnitOfWork(factory) as uow:
        return await run_import(uow, boss, "leads.csv", table,
                                plan_import(table, "UA", "csv:leads.csv"), clock.now(),
                                NO_QUIET, touch, imported)


async def test_repeats_inside_a_file_meet_the_intake_rule(session_factory, clock) -> None:
    report = await import_bytes(session_factory, clock, (
        "name,phone\n"
        "Maria Ivanova,+380441234567\n"
        "Maria Ivanova,+380 44 123 4567\n"  # the same person again: a touch
        "Petro Shevchenko,044 123 4567\n"  # a family phone: a possible duplicate
    ).encode())
    assert report.refused == []
    assert (report.imported, report.attached, report.suspected) == ([1, 2], [1], [2])
    async with UnitOfWork(session_factory) as uow:
        assert await uow.session.scalar(select(func.count()).select_from(ContactRow)) == 2
        assert await uow.duplicates.touches(1) == 1
        assert [(s.contact_id, s.other_id) for s in await uow.duplicates.pending_for(2)] \
            == [(2, 1)]


async def test_a_database_error_keeps_the_report_and_names_the_rows_not_imported(
        session_factory, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
        await uow.commit()
    table = read_table(b"name,phone\nMaria,+380441234567\nOlga,+380441234568\n"
                       b"Ira,+380441234569\n")
    async with UnitOfWork(session_factory) as uow:
        add = uow.contacts.add

        async def failing(details, *args, **fields):  # type: ignore[no-untyped-def]
            if details.name == "Olga":
                raise OSError("disk I/O error")
            return await add(details, *args, **fields)

        monkeypatch.setattr(uow.contacts, "add", failing)
        report = await run_import(uow, boss, "leads.csv", table,
                                  plan_import(table, "UA", "csv:leads.csv"), clock.now(),
                                  NO_QUIET, touch, imported)
    assert [(r.line, [(e.field, e.code) for e in r.errors]) for r in report.refused] == [
        (3, [("row", "not_imported")]), (4, [("row", "not_imported")])]
    async with UnitOfWork(session_factory) as uow:  # Maria, imported again after the rollback
        stored = (await uow.session.execute(select(ContactRow.id, ContactRow.name))).all()
    assert [(i, name) for i, name in stored] == [(report.imported[0], "Maria")]


async def _import_failing_at(factory, clock, monkeypatch, failures):  # type: ignore[no-untyped-def]
    """A file of 120 rows (more than one chunk) whose rows named in `failures` fail after
    their contact row was written (at the audit row, whether rows are admitted one by one
    or together)."""
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
        await uow.commit()
    table = read_table(("name,phone\n" + "".join(
        f"Seeker {i},+38044{1000000 + i:07d}\n" for i in range(1, 121))).encode())
    async with UnitOfWork(factory) as uow:
        record = uow.audit.record

        async def failing(*args):  # type: ignore[no-untyped-def]
            if isinstance(args[-1], dict) and args[-1].get("name") in failures:
                raise failures[args[-1]["name"]]
            return await record(*args)

        record_many = uow.audit.record_many

        async def failing_many(*args):  # type: ignore[no-untyped-def]
            for _, after in args[-1]:
                if after.get("name") in failures:
                    raise failures[after["name"]]
            return await record_many(*args)

        monkeypatch.setattr(uow.audit, "record", failing)
        monkeypatch.setattr(uow.audit, "record_many", failing_many)
        report = await run_import(uow, boss, "leads.csv", table,
                                  plan_import(table, "UA", "csv:leads.csv"), clock.now(),
                                  NO_QUIET, touch, imported)
    async with UnitOfWork(factory) as uow:
        stored = await uow.session.scalar(select(func.count()).select_from(ContactRow))
    return report, stored


async def test_a_refused_row_in_a_chunk_undoes_only_itself(session_factory, clock,
                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    report, stored = await _import_failing_at(session_factory, clock, monkeypatch, {
        "Seeker 7": InvalidInput("reach"), "Seeker 70": InvalidInput("reach")})
    assert [(r.line, [e.code for e in r.errors]) for r in report.refused] == [
        (8, ["reach"]), (71, ["reach"])]
    assert len(report.imported) == stored == 118


async def test_a_database_failure_keeps_every_row_before_it(session_factory, clock,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    report, stored = await _import_failing_at(session_factory, clock, monkeypatch, {
        "Seeker 75": OSError("disk I/O error")})
    assert len(report.imported) == stored == 74
    assert [r.line for r in report.refused] == list(range(76, 122))
    assert {e.code for r in report.refused for e in r.errors} == {"not_imported"}
