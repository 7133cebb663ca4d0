"""A fake Telegram Bot API server for end-to-end tests of the aiogram bot.

Usage::

    async with FakeTelegram() as fake:
        bot = fake.create_bot()
        alice = fake.user(1001, "Alice", username="alice")
        async with fake.run_polling(dp, bot):
            reply = await alice.ask("/start", contains="Welcome")
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
