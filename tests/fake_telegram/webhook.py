"""Webhook delivery, as Telegram does it once a bot called setWebhook: each queued update is
POSTed to the registered URL with the X-Telegram-Bot-Api-Secret-Token header, and delivered
again (after a pause) until an answer is 2xx. A chat's updates go one at a time and in
order; different chats' go concurrently, up to `max_connections` (Telegram's default 40)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import aiohttp

from .updates import Pulse, _Pending

if TYPE_CHECKING:
    from .telegram import FakeTelegram


def chat_of(update: dict[str, Any]) -> int:
    """The chat an update belongs to (its updates keep their order), else its sender."""
    for kind in ("message", "edited_message", "channel_post", "callback_query"):
        body = update.get(kind)
        if isinstance(body, dict):
            chat = body.get("chat") or (body.get("message") or {}).get("chat")
            if chat:
                return int(chat["id"])
            return int((body.get("from") or {}).get("id", 0))
    return 0


class WebhookPusher:
    def __init__(self, fake: FakeTelegram, pulse: Pulse, *, max_connections: int = 40,
                 timeout: float = 30.0, retry_pause: float = 0.5) -> None:
        self.fake = fake
        self.max_connections = max_connections
        self.timeout = timeout
        self.retry_pause = retry_pause
        self.answers: Counter[int | str] = Counter()  # HTTP status (or error) per attempt
        self._pulse = pulse
        self._pushing: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="webhook-pusher")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._pushing) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()

    async def _run(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        while True:
            for pending in await self._pulse.wait_for(self._ready, None):
                pending.pushing = True
                task = asyncio.create_task(self._push(pending))
                self._pushing.add(task)
                task.add_done_callback(self._pushing.discard)

    def _ready(self) -> list[_Pending]:
        """The first unconfirmed update of each chat with none in flight, if a URL is set."""
        if not self.fake.webhook.get("url"):
            return []
        room = self.max_connections - len(self._pushing)
        seen: set[int] = set()
        ready = []
        now = time.monotonic()
        for pending in self.fake.updates.queued():
            chat = chat_of(pending.update)
            if chat in seen:
                continue
            seen.add(chat)
            if not pending.pushing and pending.not_before <= now and len(ready) < room:
                ready.append(pending)
        return ready

    async def _push(self, pending: _Pending) -> None:
        assert self._http is not None
        secret = self.fake.webhook.get("secret_token")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        try:
            async with self._http.post(self.fake.webhook["url"], json=pending.update,
                                       headers=headers) as answer:
                await answer.read()
                self.answers[answer.status] += 1
                ok = 200 <= answer.status < 300
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self.answers[type(exc).__name__] += 1
            ok = False
        pending.pushing = False
        if ok:
            self.fake.updates.remove(pending)
            return
        pending.not_before = time.monotonic() + self.retry_pause
        with contextlib.suppress(RuntimeError):  # look again once the pause is over
            asyncio.get_running_loop().call_later(self.retry_pause, self._pulse.notify)
        self._pulse.notify()
