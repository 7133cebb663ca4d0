"""The Bot API session keeps each kind of answer's model (bot.telegram_session): pydantic
would otherwise build `Response[...]` again after every garbage collection."""

import gc
import weakref

from aiogram import Bot
from aiogram.methods import GetMyCommands, Response

from bot.telegram_session import TelegramSession


async def test_an_answer_model_outlives_a_garbage_collection() -> None:
    session = TelegramSession()
    bot = Bot("123456:TEST", session=session)
    method = GetMyCommands()
    answer = session.check_response(bot, method, 200,
                                    '{"ok": true, "result": [{"command": "new", '
                                    '"description": "a contact"}]}')
    assert answer.result[0].command == "new"
    del answer  # an answer refers to its model; the session must keep it without one
    model = weakref.ref(Response[method.__returning__])
    gc.collect()
    assert model() is not None
    await session.close()
