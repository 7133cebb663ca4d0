"""Webhook mode: updates arrive over HTTP and only with Telegram's secret token."""

import asyncio
import contextlib

import aiohttp

from bot.app import run
from bot.config import Settings
from storage.migrate import upgrade
from tests.e2e.conftest import ADMIN_ID, TOKEN
from tests.e2e.scenarios import free_port
from tests.fake_telegram import FakeTelegram


def start_update(update_id: int) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 1_790_000_000, "text": "/start",
        "chat": {"id": ADMIN_ID, "type": "private", "first_name": "Boss"},
        "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Boss"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def test_webhook_checks_the_secret_and_serves(fake: FakeTelegram, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    url, port = f"sqlite+aiosqlite:///{tmp_path}/w.db", free_port()
    settings = Settings(
        _env_file=None, bot_token=TOKEN, bot_api_base_url=fake.base_url, database_url=url,
        admin_ids=[ADMIN_ID], mode="webhook", webhook_url="https://bot.example.org",
        webhook_secret="s3cret", webhook_host="127.0.0.1", webhook_port=port)
    await asyncio.to_thread(upgrade, url)
    fake.user(ADMIN_ID, "Boss")
    task = asyncio.create_task(run(settings, clock=clock, handle_signals=False))
    try:
        hooks = await fake.wait_until(lambda: fake.calls_of("setWebhook"), timeout=10)
        assert hooks[0]["url"] == "https://bot.example.org/telegram"
        assert hooks[0]["secret_token"] == "s3cret"
        endpoint = f"http://127.0.0.1:{port}/telegram"
        async with aiohttp.ClientSession() as http:
            forged = await http.post(endpoint, json=start_update(1),
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status == 401
            real = await http.post(endpoint, json=start_update(2),
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
            assert real.status == 200
            async with http.get(f"http://127.0.0.1:{port}/api/v1/health") as health:
                assert health.status == 200  # the intake API shares the webhook server
            async with http.post(f"http://127.0.0.1:{port}/api/v1/contacts", json={}) as api:
                assert api.status == 401
            async with http.get(f"http://127.0.0.1:{port}/form/spring") as form:
                assert form.status == 404  # and the web forms (none made here)
                assert "There is no form at this address" in await form.text()
        reply = await fake.wait_for(ADMIN_ID, lambda m: "Hello, Boss" in (m.text or ""))
        assert len(fake.chat(ADMIN_ID).bot_messages) == 1 and reply
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
