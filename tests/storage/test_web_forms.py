"""Web lead forms over a real, migrated database: a form round-trips, concurrent counts are
never lost (one upsert each), the report's figures keep to the period, delete takes the
counts along."""

import asyncio
from datetime import timedelta

import pytest

from domain.errors import AlreadyDone
from domain.reports import Period
from domain.roles import Role
from domain.web_forms import Field, FormFigures
from services import web_forms
from storage.uow import UnitOfWork


async def test_forms_and_their_counts(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    async with UnitOfWork(session_factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, now)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        form = await web_forms.create(uow, boss, "spring", now)
        other = await web_forms.create(uow, boss, "autumn", now)
        await web_forms.toggle_field(uow, boss, form.id, Field.QUESTION, now)
        await web_forms.set_text(uow, boss, form.id, "question", "Best time?", now)
    async with UnitOfWork(session_factory) as uow:
        stored = await uow.web_forms.by_slug("spring")
        with pytest.raises(AlreadyDone):  # a second admin who took the same slug meanwhile
            await uow.web_forms.add("spring", boss.id, now, stored.fields)
    assert stored is not None and stored.question == "Best time?"
    assert stored.asked == (Field.NAME, Field.PHONE, Field.TELEGRAM, Field.QUESTION)

    async def refuse() -> None:
        async with UnitOfWork(session_factory) as uow:
            await web_forms.refused(uow, form.id, now)

    await asyncio.gather(*(refuse() for _ in range(20)))
    async with UnitOfWork(session_factory) as uow:
        await uow.web_forms.count(form.id, now + timedelta(hours=2), sent=1)
        await uow.web_forms.count(other.id, now - timedelta(days=9), sent=5)
        await uow.commit()
        assert await uow.web_forms.totals() == {form.id: (1, 20), other.id: (5, 0)}
        assert await uow.web_forms.figures(Period(now - timedelta(days=7),
                                                  now + timedelta(hours=1))) == [
            FormFigures("spring", 0, 20)]
        assert await uow.web_forms.figures(Period(now, now + timedelta(days=1))) == [
            FormFigures("spring", 1, 20)]
    async with UnitOfWork(session_factory) as uow:
        await web_forms.delete(uow, boss, form.id, now)
        assert await uow.web_forms.totals() == {other.id: (5, 0)}
        assert [f.slug for f in await uow.web_forms.list_all()] == ["autumn"]
