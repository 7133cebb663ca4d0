"""End to end: the real bot (bot.app.run, real polling) against the fake Bot API over HTTP."""

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import run
from bot.config import Settings
from scheduler.context import JobContext
from scheduler.setup import run_all
from storage.engine import create_engine
from storage.migrate import upgrade
from tests.conftest import FakeClock
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser

TOKEN = "123456:TEST-TOKEN"
ADMIN_ID = 100


@dataclass
class Team:
    """The cast of a scenario, with helpers for the steps every test repeats."""

    fake: FakeTelegram
    clock: FakeClock
    db: AsyncEngine
    admin: FakeUser
    group: FakeChat
    jobs: JobContext

    async def run_jobs(self) -> None:
        """Every scheduler job once at the fake clock's time, then the outbox drained."""
        await run_all(self.jobs)
        await self.drain()

    async def drain(self) -> None:
        while await self.jobs.sender.fill():
            await self.jobs.sender.idle()
        await self.jobs.sender.idle()

    async def bind(self) -> None:
        await self.admin.send("/bind", chat=self.group)
        await self.admin.wait_reply(contains="team chat", chat=self.group)

    async def invite(self, user: FakeUser, role_button: str, welcome: str = "Welcome") -> None:
        """`welcome`: what the newcomer's greeting contains, in the language they read."""
        menu = await self.admin.ask("/invite", contains="Invite someone")
        await self.admin.press(menu, role_button)
        link = await self.admin.wait_reply(contains="start=")
        token = re.search(r"start=(\S+)", link.text or "").group(1)
        await user.ask(f"/start {token}", contains=welcome)

@pytest.fixture(autouse=True)
async def fresh_redis() -> AsyncIterator[None]:
    """With REDIS_URL (shared mode, as .ci/run runs this tier) each test starts from an empty
    Redis: dialog state and flood budgets are keyed by bot and chat, which tests reuse."""
    url = os.environ.get("REDIS_URL")
    if url:
        from storage.shared import connect

        redis = connect(url)
        await redis.flushdb()
        await redis.aclose()
    yield


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API. At teardown the test fails if the bot called a method the fake
    does not implement (or the fake crashed): see `FakeTelegram.check`."""
    async with FakeTelegram(token=TOKEN, bot_username="dispatch_test_bot") as fake:
        yield fake
    fake.check()


SHARED_SPACING = {"send_private_interval": 0.2} if os.environ.get("REDIS_URL") else {}


@pytest.fixture
async def team(fake: FakeTelegram, db_url: str, clock: FakeClock, request) -> AsyncIterator[Team]:  # type: ignore[no-untyped-def]
    """The running bot. Parametrize indirectly with a dict to override settings."""
    url = db_url
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        bot_api_base_url=fake.base_url,
        database_url=url,
        admin_ids=[ADMIN_ID],
        log_format="text",
        job_interval_seconds=86_400,  # tests run the jobs themselves, with the fake clock
        # team cards go through the outbox: keep tests quick (the fake enforces no flood
        # limit here); with REDIS_URL every direct answer waits for its chat's turn too
        **{"send_group_interval": 0.2, **SHARED_SPACING, **getattr(request, "param", {})},
    )
    await asyncio.to_thread(upgrade, url)
    ready: asyncio.Future[JobContext] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        run(settings, clock=clock, handle_signals=False, on_ready=ready.set_result))
    db = create_engine(url)
    admin = fake.user(ADMIN_ID, "Boss", username="boss")
    try:
        jobs = await asyncio.wait_for(ready, 10)
        yield Team(fake, clock, db, admin, fake.group(-100500, "Dispatch team"), jobs)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await db.dispose()
