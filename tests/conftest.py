"""Shared fixtures: a migrated SQLite database per test, a movable clock."""

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.repositories import direct

#: Every read run directly on SQLite's cursor is checked against SQLAlchemy's own run of it.
direct.VERIFY = True

pytest_plugins = ["tests.hang_watch"]


class FakeClock:
    """Time only moves when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (.ci/run runs the PostgreSQL + Redis tier on several workers) each
    worker gets a Redis database of its own: tests empty theirs at the start, and the flood
    budgets and dialogs are keyed by chats that every test reuses."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("REDIS_URL")
    if worker and url:
        index = 1 + int(worker.removeprefix("gw")) % 15
        os.environ["REDIS_URL"] = urlsplit(url)._replace(path=f"/{index}").geturl()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def db_url(tmp_path) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """A fresh SQLite file, or with TEST_DATABASE_URL (a PostgreSQL server) a fresh database."""
    async with fresh_database(tmp_path) as url:
        yield url


@contextlib.asynccontextmanager
async def fresh_database(tmp_path) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    server = os.environ.get("TEST_DATABASE_URL")
    name = f"test_{uuid.uuid4().hex[:12]}"
    if not server:
        yield f"sqlite+aiosqlite:///{tmp_path}/{name}.db"
        return
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[async_sessionmaker]:
    await asyncio.to_thread(upgrade, db_url)
    engine = create_engine(db_url)
    yield create_session_factory(engine)
    await engine.dispose()
