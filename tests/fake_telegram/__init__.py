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
"""

from .actors import FakeUser, PendingCallback
from .state import ApiError, CallbackAnswer, FakeChat, FakeMessage, StoredFile
from .telegram import FailureRule, FakeTelegram, WaitTimeout

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "FailureRule",
    "FakeChat",
    "FakeMessage",
    "FakeTelegram",
    "FakeUser",
    "PendingCallback",
    "StoredFile",
    "WaitTimeout",
]
