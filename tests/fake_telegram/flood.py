"""Telegram's flood limits, enforced on request (`FakeTelegram.enforce_flood_limits`): at
most 30 new messages in any 1 s overall, 1 in any 1 s per private chat, 20 in any 60 s per
group; a call over a limit is answered 429 with the retry_after Telegram would give, and
changes nothing. Edits and button answers are not counted (Telegram's limits are about
sending messages)."""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Any

from .state import ApiError

OVERALL = (30, 1.0)
PRIVATE = (1, 1.0)
GROUP = (20, 60.0)

#: Lower-cased Bot API methods that send a new message.
COUNTED = frozenset({"sendmessage", "sendphoto", "senddocument", "sendvoice", "sendaudio",
                     "sendvideo", "sendanimation", "sendsticker", "sendmediagroup",
                     "sendlocation", "sendcontact", "sendpoll", "copymessage", "forwardmessage",
                     "copymessages", "forwardmessages"})


class FloodRules:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.refused: Counter[str] = Counter()  # 429s answered, by the limit broken
        self.sent_at: list[float] = []  # when each counted message was let through
        self.refused_at: list[float] = []
        #: each 429: when, the chat, what was refused, and the chat's sends in the window
        self.refusals: list[tuple[float, int, str, list[tuple[float, str]]]] = []
        self._what: dict[int, deque[tuple[float, str]]] = defaultdict(lambda: deque(maxlen=3))
        self._overall: deque[float] = deque()
        self._chats: dict[int, deque[float]] = defaultdict(deque)

    def check(self, method: str, params: dict[str, Any]) -> ApiError | None:
        """The 429 for this call if it breaks a limit; otherwise the send is counted."""
        chat_id = params.get("chat_id")
        if method not in COUNTED or not isinstance(chat_id, int):
            return None
        now = self.clock()
        chat_limit = PRIVATE if chat_id > 0 else GROUP
        for name, window, (limit, period) in (
                ("overall", self._overall, OVERALL),
                ("private" if chat_id > 0 else "group", self._chats[chat_id], chat_limit)):
            while window and now - window[0] >= period:
                window.popleft()
            if len(window) >= limit:
                self.refused[name] += 1
                self.refused_at.append(now)
                self.refusals.append((now, chat_id, _what(method, params),
                                      list(self._what[chat_id])))
                retry = max(1, math.ceil(period - (now - window[0])))
                return ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        self._overall.append(now)
        self._chats[chat_id].append(now)
        self.sent_at.append(now)
        self._what[chat_id].append((now, _what(method, params)))
        return None

    @property
    def total_refused(self) -> int:
        return sum(self.refused.values())


def _what(method: str, params: dict[str, Any]) -> str:
    return f"{method} {str(params.get('text') or params.get('caption') or '')[:50]!r}"
