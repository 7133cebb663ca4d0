"""The team, areas and settings kept in memory behind the stamp (storage.team_stamp): served
from memory only while nothing changed them, never a change rolled back, and a transaction
sees its own changes."""

from sqlalchemy import event, update

from domain.areas import Area
from domain.roles import Role
from storage.engine import create_engine, create_session_factory
from storage.models import MemberRow
from storage.uow import UnitOfWork


async def _olga(factory, clock) -> int:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        olga = await uow.members.add(11, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.commit()
    return olga.id


def _count_statements(factory) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    engine = factory.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


async def test_a_second_read_is_one_statement_and_a_commit_elsewhere_is_seen(
        session_factory, db_url, clock) -> None:  # type: ignore[no-untyped-def]
    olga = await _olga(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olga"
    statements = _count_statements(session_factory)
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olga"
        assert (await uow.members.by_tg_user(11)).id == olga
        assert [m.name for m in await uow.members.list_all()] == ["Olga"]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1

    other = create_engine(db_url)  # another process or replica on the same database
    try:
        async with UnitOfWork(create_session_factory(other)) as uow:
            await uow.members.update(olga, name="Olha")
            await uow.commit()
    finally:
        await other.dispose()
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olha"


async def test_a_change_rolled_back_is_never_served(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    olga = await _olga(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await uow.members.update(olga, name="Olha")
        assert (await uow.members.get(olga)).name == "Olha"  # its own change, not yet committed
        await uow.areas.save(Area("podil", "Podil", "Kyiv"))
        assert "podil" in (await uow.areas.map()).areas
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olga"
        assert "podil" not in (await uow.areas.map()).areas


async def test_only_a_write_through_the_repositories_renews_the_stamp(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """What the stamp is for: a row changed behind the repositories' back (no renewal) is
    not read again; the next change through them is, with everything since."""
    olga = await _olga(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olga"
    async with UnitOfWork(session_factory) as uow:
        await uow.session.execute(update(MemberRow).where(MemberRow.id == olga).values(name="Olha"))
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olga"
        await uow.settings.set("digest_times", "09:00")
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olha"
        assert await uow.settings.get("digest_times") == "09:00"



async def test_a_savepoint_released_is_no_commit(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """An import commits many rows, each in a savepoint: releasing one must neither renew
    the stamp before the commit nor make the transaction read the stamp again."""
    olga = await _olga(session_factory, clock)
    statements = _count_statements(session_factory)
    async with UnitOfWork(session_factory) as uow:
        for _ in range(3):
            async with uow.savepoint():
                assert (await uow.members.get(olga)).name == "Olga"
    assert len([s for s in statements if "settings" in s and s.lstrip().startswith("SELECT")]) == 1

    statements.clear()
    async with UnitOfWork(session_factory) as uow:
        await uow.members.update(olga, name="Olha")
        async with uow.savepoint():
            assert (await uow.members.get(olga)).name == "Olha"  # its own change
        async with uow.savepoint():
            assert (await uow.members.get(olga)).name == "Olha"
        await uow.commit()
    stamp_writes = [i for i, s in enumerate(statements) if s.startswith("UPDATE settings")]
    releases = [i for i, s in enumerate(statements) if s.startswith("RELEASE SAVEPOINT")]
    assert len(stamp_writes) == 1 and stamp_writes[0] > releases[-1]  # renewed at the commit
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.members.get(olga)).name == "Olha"
