"""The console command as the README runs it: it serves, and it fails with one clear line."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID, TOKEN
from tests.fake_telegram import FakeTelegram


def command() -> list[str]:
    script = Path(sys.executable).parent / "dispatchbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "ADMIN_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/data/bot.db", LOG_FORMAT="text")
    env.update(overrides)
    return env


async def run_to_end(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *command(), *args, cwd=tmp_path, env=environment(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, err.decode()


async def test_run_serves_the_team_over_polling(fake: FakeTelegram, tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        *command(), "run", cwd=tmp_path,
        env=environment(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL=fake.base_url, ADMIN_IDS=str(ADMIN_ID)),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        admin = fake.user(ADMIN_ID, "Boss")
        await admin.send("/start")
        reply = await admin.wait_reply(contains="Hello, Boss", timeout=60)
        assert "/invite" in reply.text
        assert (tmp_path / "data" / "bot.db").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=30)
    assert proc.returncode == 0


@pytest.mark.parametrize("env, expected", [
    ({}, "dispatchbot: error: configuration: BOT_TOKEN: Field required"),
    ({"BOT_TOKEN": "1:x", "TEAM_TIMEZONE": "Mars/Base"}, "TEAM_TIMEZONE: Value error, unknown time zone 'Mars/Base'"),
    ({"BOT_TOKEN": "1:x", "OFFER_DAYS": "0"}, "OFFER_DAYS: Input should be greater than or equal to 1"),
    ({"BOT_TOKEN": "1:x", "MODE": "webhook"}, "MODE=webhook needs WEBHOOK_SECRET"),
    ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN does not look like a bot token"),
])
async def test_bad_settings_fail_with_one_line(tmp_path: Path, env: dict, expected: str) -> None:
    code, err = await run_to_end(tmp_path, "run", **env)
    assert code == 2
    assert err.strip().splitlines() == [err.strip()] and expected in err


async def test_rejected_token_and_unreachable_api_fail_with_one_line(fake: FakeTelegram, tmp_path: Path) -> None:
    code, err = await run_to_end(tmp_path, "run", BOT_TOKEN="999:WRONG", BOT_API_BASE_URL=fake.base_url)
    assert code == 2 and err.strip().endswith("Telegram rejected the bot token (BOT_TOKEN)")
    assert "Traceback" not in err
    code, err = await run_to_end(tmp_path, "run", BOT_TOKEN=TOKEN, BOT_API_BASE_URL="http://127.0.0.1:9")
    assert code == 2 and "cannot reach the Bot API at http://127.0.0.1:9" in err


async def test_unusable_database_fails_with_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, err = await run_to_end(tmp_path, "db", "upgrade", BOT_TOKEN=TOKEN,
                                 DATABASE_URL=f"sqlite+aiosqlite:///{blocker}/sub/bot.db")
    assert code == 2 and err.startswith("dispatchbot: error: database") and "Traceback" not in err

