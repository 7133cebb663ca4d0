"""Telegram's flood limits as aiolimiter buckets: overall, per private chat, per group.

A bucket as big as the limit would allow twice the limit in a second (a full bucket plus
what leaks). So a chat's bucket holds one token (sends evenly spaced), and the overall one
two: the spare token absorbs the event loop's wake-up lag (with one, 28/s yields ~27.3/s),
and any rate + 3 consecutive sends span at least (rate + 1) / rate seconds: at 28/s,
31 sends take at least 1.036 s, so no one-second window sees more than 30.
"""

from collections import OrderedDict

from aiolimiter import AsyncLimiter


class FloodLimits:
    def __init__(self, overall_per_second: float, private_interval: float,
                 group_interval: float, remembered_chats: int = 10_000) -> None:
        self.overall = AsyncLimiter(2, 2 / overall_per_second)
        self.private_interval = private_interval
        self.group_interval = group_interval
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._remembered = remembered_chats

    def for_chat(self, chat_id: int) -> AsyncLimiter:
        """Private chats have positive ids, groups negative ones."""
        limiter = self._chats.pop(chat_id, None) or AsyncLimiter(
            1, self.private_interval if chat_id > 0 else self.group_interval
        )
        self._chats[chat_id] = limiter
        if len(self._chats) > self._remembered:
            self._chats.popitem(last=False)
        return limiter
