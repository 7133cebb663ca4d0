"""Migrations: every revision goes up and down cleanly, and the models match the schema."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.engine import create_engine
from storage.migrate import alembic_config, downgrade, upgrade
from storage.models import Base


def revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


async def test_stairway(db_url: str) -> None:
    for revision in revisions(db_url):
        await asyncio.to_thread(upgrade, db_url, revision)
        await asyncio.to_thread(downgrade, db_url, "-1")
        await asyncio.to_thread(upgrade, db_url, revision)


async def test_models_match_migrations(db_url: str) -> None:
    await asyncio.to_thread(upgrade, db_url)
    engine = create_engine(db_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    await engine.dispose()
    assert diff == []
