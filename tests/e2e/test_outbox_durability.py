"""kill -9 in the middle of a drain, then restart: nothing lost, nothing recorded as sent
is sent again (see README, 'Delivery guarantee')."""

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from domain.outbox import Enqueue
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork
from tests.e2e.conftest import TOKEN
from tests.e2e.test_entry_point import command, environment
from tests.fake_telegram import FakeTelegram

CHATS, PER_CHAT = 20, 3


def delivered(fake: FakeTelegram) -> Counter[str]:
    return Counter(m.text for uid in range(1, CHATS + 1)
                   for m in fake.chat(1000 + uid).bot_messages if (m.text or "").startswith("msg-"))


async def start(fake: FakeTelegram, tmp_path: Path, url: str):  # type: ignore[no-untyped-def]
    return await asyncio.create_subprocess_exec(
        *command(), "run", cwd=tmp_path,
        env=environment(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=fake.base_url, DATABASE_URL=url),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def test_kill_mid_send_then_restart(fake: FakeTelegram, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/outbox.db"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        for n in range(PER_CHAT):
            for uid in range(1, CHATS + 1):
                fake.user(1000 + uid, f"User {uid}")
                await uow.outbox.add(Enqueue(chat_id=1000 + uid, text=f"msg-{uid}-{n}"), now)
        await uow.commit()
    expected = {f"msg-{uid}-{n}" for uid in range(1, CHATS + 1) for n in range(PER_CHAT)}

    proc = await start(fake, tmp_path, url)
    await fake.wait_until(lambda: sum(delivered(fake).values()) >= 25, timeout=30)
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    async with engine.connect() as conn:
        rows = (await conn.execute(text("select text, status from outbox"))).all()
    sent_before = {r.text for r in rows if r.status == "sent"}
    in_flight = sum(r.status == "sending" for r in rows)
    assert 0 < len(sent_before) < len(expected), "the kill must land mid-drain"

    proc = await start(fake, tmp_path, url)
    try:
        await fake.wait_until(lambda: set(delivered(fake)) >= expected, timeout=60)
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.wait()
    async with engine.connect() as conn:
        queued = (await conn.execute(text("select count(*) from outbox where status='queued'"))).scalar()
    await engine.dispose()
    counts = delivered(fake)
    assert set(counts) == expected  # nothing lost
    assert all(counts[t] == 1 for t in sent_before)  # nothing recorded as sent went again
    assert sum(counts.values()) - len(expected) <= in_flight  # only in-flight rows may repeat
    assert queued == 0
