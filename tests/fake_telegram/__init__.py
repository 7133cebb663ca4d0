"""A fake Telegram Bot API server for end-to-end tests of the aiogram bot.

Usage::

    async with FakeTelegram() as fake:
        bot = fake.create_bot()            # or any Bot whose API base URL is fake.base_url
        alice = fake.user(1001, "Alice", username="alice")
        async with fake.run_polling(dp, bot):
            reply = await alice.ask("/start", contains="Welcome")
            answer = await alice.press(reply, "Yes")

`FakeMessage.text` is what users see (HTML tags stripped), `.html` what the bot sent.
Every message change bumps `fake.seq`; waits look for changes after a given seq.

Strictness: a Bot API method the fake does not implement is answered 404 like Telegram
does, and recorded in `fake.unexpected`; `fake.check()` (called by the test fixtures at
teardown) then fails the test. `fake.refuse(method, times, chat_id=..., status=...)` makes
chosen calls fail on purpose; `fake.call_counts` / `ok_counts` / `refused_counts` count calls
per method.
"""

from .actors import FakeUser, PendingCallback
from .state import ApiError, CallbackAnswer, FakeChat, FakeMessage, StoredFile
from .telegram import FailureRule, FakeTelegram, MethodCounter, WaitTimeout

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "FailureRule",
    "FakeChat",
    "FakeMessage",
    "FakeTelegram",
    "FakeUser",
    "MethodCounter",
    "PendingCallback",
    "StoredFile",
    "WaitTimeout",
]
