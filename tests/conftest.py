"""Shared fixtures: a migrated SQLite database per test, a movable clock."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade


class FakeClock:
    """Time only moves when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite+aiosqlite:///{tmp_path}/test.db"


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[async_sessionmaker]:
    await asyncio.to_thread(upgrade, db_url)
    engine = create_engine(db_url)
    yield create_session_factory(engine)
    await engine.dispose()
