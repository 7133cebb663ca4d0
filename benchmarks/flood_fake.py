"""A minimal Bot API that enforces Telegram's flood limits and answers 429 when they are
broken: at most 30 messages in any 1 s overall, 1 in any 1 s per private chat, 20 in any
60 s per group. Only what the benchmark needs: getMe and sendMessage."""

import time
from collections import defaultdict, deque

from aiohttp import web

LIMITS_PRIVATE = (1, 1.0)
LIMITS_GROUP = (20, 60.0)
LIMITS_OVERALL = (30, 1.0)


class FloodFake:
    def __init__(self) -> None:
        self.delivered = 0
        self.too_many = 0
        self.broken: dict[str, int] = defaultdict(int)
        self.started: float | None = None
        self.last: float = 0.0
        self._overall: deque[float] = deque()
        self._chats: dict[int, deque[float]] = defaultdict(deque)
        self._ids = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        if method == "getme":
            return web.json_response({"ok": True, "result": {
                "id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}})
        data = await request.post()
        chat_id = int(data["chat_id"])
        now = time.monotonic()
        overall = self._check(self._overall, *LIMITS_OVERALL, now)
        per_chat = self._check(
            self._chats[chat_id], *(LIMITS_PRIVATE if chat_id > 0 else LIMITS_GROUP), now)
        if overall or per_chat:
            self.too_many += 1
            self.broken["overall" if overall else "private" if chat_id > 0 else "group"] += 1
            retry = 1
            return web.json_response({"ok": False, "error_code": 429,
                                      "description": f"Too Many Requests: retry after {retry}",
                                      "parameters": {"retry_after": retry}})
        self._overall.append(now)
        self._chats[chat_id].append(now)
        self.delivered += 1
        self.started = self.started or now
        self.last = now
        self._ids += 1
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "g"}
        return web.json_response({"ok": True, "result": {
            "message_id": self._ids, "date": int(time.time()), "chat": chat,
            "from": {"id": 1, "is_bot": True, "first_name": "Bench"}, "text": data["text"]}})

    @staticmethod
    def _check(window: deque[float], limit: int, period: float, now: float) -> int:
        while window and now - window[0] >= period:
            window.popleft()
        return 1 if len(window) >= limit else 0
