"""A CSV import on a real database: each row meets the same intake rule as a contact
entered by hand, a broken row or file never loses the others' report."""

from sqlalchemy import func, select

from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.roles import Role
from services.importing import run_import
from services.notify import NO_QUIET
from storage.models import ContactRow
from storage.uow import UnitOfWork


def touch(contact, match, who) -> str:  # type: ignore[no-untyped-def]
    return f"touch #{contact.id} for {who}"


def imported(n: int, name: str) -> str:
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
