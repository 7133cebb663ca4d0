"""An import's rows admitted together (services.bulk_intake) store exactly what one-by-one
intake stores: the same file imported both ways into two fresh databases leaves the same
contacts under the same ids, the same suspects, touches, audit rows, queued messages and
batch counts, and the same report."""

import asyncio
import random

import pytest
from sqlalchemy import text

from domain.contacts import ContactDetails, Status
from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.roles import Role
from services import bulk_intake, intake
from services.importing import run_import
from services.notify import NO_QUIET
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork
from tests.conftest import fresh_database

GIVEN = ["Maria", "Mariya", "Masha", "Olena", "Ivan", "Petro", ""]
FAMILY = ["Ivanova", "Ivanova", "Shevchenko", "Shevchenk", "Koval", "Kovalenko"]
AREAS = ["Podil", "Podol", "Obolon", "Obolon'", "Troieshchyna", "Pechersk", ""]
#: Tables whose rows are compared as they are; the others without their ids (rows written
#: together are numbered in another order than rows written one by one).
SAME_IDS = ("contacts", "contact_touches", "batches")
COMPARED = ("contacts", "contact_touches", "batches", "duplicate_suspects", "audit_log",
            "outbox", "cards")


def touch(locale, contact, match, who) -> str:  # type: ignore[no-untyped-def]
    return f"touch #{contact.id} for {who}"


def imported(locale: str, n: int, name: str) -> str:
    return f"{n} from {name}"


def a_file(seed: int, rows: int) -> bytes:
    """Namesakes, spellings, typos in areas, a family name alone, repeated and shared phones
    (a family's), phones alike in their last digits, e-mail and Telegram-only rows, and
    repeated arrivals that bring a stored seeker a phone."""
    rnd = random.Random(seed)
    lines, phones, emails = ["name,phone,email,tg_username,area"], [], []
    for i in range(rows):
        name = f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}".strip()
        phone, email, username = f"+38044{1000000 + i:07d}", "", ""
        roll = rnd.random()
        if roll < 0.08 and phones:
            phone = rnd.choice(phones)  # the same person again, or a family phone
        elif roll < 0.14:
            phone = f"+38067{1000000 + rnd.randrange(i + 1):07d}"  # the same last digits
        elif roll < 0.24 and emails and rnd.random() < 0.4:
            # the same person again with a phone their stored record lacks, which later
            # rows may bring again
            phone, email = f"+38063{1000000 + i:07d}" if rnd.random() < 0.5 else "", \
                rnd.choice(emails)
        elif roll < 0.24:
            phone, email = "", f"seeker{i}@example.com"
        elif roll < 0.28:
            phone, username = "", f"seeker_{rnd.randrange(rows)}"
        phones += [phone] if phone else []
        emails += [email] if email else []
        lines.append(f"{name},{phone},{email},{username},{rnd.choice(AREAS)}")
        if i == 20:  # within one chunk: a seeker, again with a phone, again by that phone
            lines += ["Olena Koval,,olena@example.com,,Podil",
                      "Olena Koval,+380631234567,olena@example.com,,Podil",
                      "Olena Koval,+380631234567,,,Podil"]
    return ("\n".join(lines) + "\n").encode()


async def stored_before(factory, clock, boss):  # type: ignore[no-untyped-def]
    """Seekers stored before the file: their cards in the team chat (redrawn when a row
    suspects them), one closed (never a candidate)."""
    async with UnitOfWork(factory) as uow:
        await uow.settings.set("team_chat_id", "-100500")
        await uow.commit()
    rnd = random.Random(99)
    for i in range(25):
        details = ContactDetails(f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}".strip() or "Anna",
                                 phone=f"+38050{2000000 + i:07d}", area=rnd.choice(AREAS))
        async with UnitOfWork(factory) as uow:
            await intake.create_contact(uow, boss, details, clock.now())
    async with UnitOfWork(factory) as uow:
        await uow.contacts.set_fields(3, status=Status.CLOSED.value)
        for contact_id in range(1, 26):  # the cards were sent
            await uow.contacts.save_card(contact_id, -100500, 1000 + contact_id)
        await uow.session.execute(text("DELETE FROM outbox"))
        await uow.commit()


async def import_into(url: str, clock, data: bytes):  # type: ignore[no-untyped-def]
    """The file imported into a fresh database; its report and every compared table."""
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    try:
        async with UnitOfWork(factory) as uow:
            boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
            await uow.commit()
        await stored_before(factory, clock, boss)
        table = read_table(data)
        async with UnitOfWork(factory) as uow:
            report = await run_import(uow, boss, "leads.csv", table,
                                      plan_import(table, "UA", "csv:leads.csv"), clock.now(),
                                      NO_QUIET, touch, imported)
        return report, await compared(engine, COMPARED)
    finally:
        await engine.dispose()


def counted_together(monkeypatch) -> list:  # type: ignore[no-untyped-def]
    """The rows bulk_intake admits together from now on, as they are admitted."""
    together: list = []
    admit = bulk_intake.admit_new

    async def counting(uow, actor, rows, now, arrival):  # type: ignore[no-untyped-def]
        together.extend(rows)
        return await admit(uow, actor, rows, now, arrival)

    monkeypatch.setattr(bulk_intake, "admit_new", counting)
    return together


async def compared(engine, names: tuple[str, ...]) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    """Each table's rows, in an order that does not depend on how they were written."""
    tables = {}
    async with engine.connect() as conn:
        for name in names:
            rows = [dict(r._mapping) for r in await conn.execute(text(f"SELECT * FROM {name}"))]
            if name not in SAME_IDS:
                rows = [{k: v for k, v in r.items() if k != "id"} for r in rows]
            tables[name] = sorted(rows, key=repr)
    return tables


@pytest.mark.parametrize(("seed", "read_limit", "chunk_limit"),
                         [(1, None, None), (2, None, None), (3, 12, None), (4, None, 60)])
async def test_rows_admitted_together_store_what_one_by_one_intake_stores(
        tmp_path, clock, monkeypatch, seed, read_limit, chunk_limit) -> None:  # type: ignore[no-untyped-def]
    """`read_limit`: rows with more than a few candidates are taken one by one (as rows whose
    own read would be cut are), and the rows after them are matched against them.
    `chunk_limit`: the later chunks have more candidates than one read takes, and go one by
    one."""
    data = a_file(seed, 240)
    if read_limit:
        monkeypatch.setattr(bulk_intake, "CANDIDATE_LIMIT", read_limit)
    if chunk_limit:
        monkeypatch.setattr(bulk_intake, "CHUNK_READ_LIMIT", chunk_limit)
    together = counted_together(monkeypatch)
    async with fresh_database(tmp_path) as url:
        report, tables = await import_into(url, clock, data)

    async def none(*args):  # type: ignore[no-untyped-def]
        return []

    monkeypatch.setattr(bulk_intake.Together, "leading", none)
    async with fresh_database(tmp_path) as url:
        one_by_one, expected = await import_into(url, clock, data)

    assert len(together) > (len(report.imported) // 2 if not (read_limit or chunk_limit) else 20)
    if chunk_limit:
        assert len(together) < len(report.imported) // 2
    assert len(report.attached) > 5 and len(report.suspected) > 20  # the file meets the rules
    assert (report.imported, report.attached, report.suspected, report.refused) == \
        (one_by_one.imported, one_by_one.attached, one_by_one.suspected, one_by_one.refused)
    for name in COMPARED:
        assert tables[name] == expected[name], name
