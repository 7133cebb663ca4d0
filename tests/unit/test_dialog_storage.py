"""Dialog state in memory is bounded: reading a stranger's state stores nothing, a finished
dialog leaves nothing behind, idle dialogs are forgotten after a while, and the number of
dialogs kept has a ceiling (the least recently used goes first)."""

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.app import build_storage
from bot.config import Settings
from bot.dialog_storage import BoundedMemoryStorage, StepStorage
from bot.middlewares.dialog_steps import DialogStepMiddleware


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def key(n: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=n, user_id=n)


async def test_reading_strangers_stores_nothing_and_clearing_forgets() -> None:
    storage = BoundedMemoryStorage(ttl_seconds=60, max_keys=100)
    for n in range(1000):
        assert await storage.get_state(key(n)) is None
        assert await storage.get_data(key(n)) == {}
    assert len(storage) == 0
    await storage.set_state(key(1), "Intake:name")
    await storage.update_data(key(1), {"name": "Maria"})
    assert (await storage.get_state(key(1)), await storage.get_data(key(1))) == (
        "Intake:name", {"name": "Maria"})
    await storage.set_state(key(1), None)
    await storage.set_data(key(1), {})
    assert len(storage) == 0


async def test_idle_dialogs_are_dropped_and_the_oldest_go_past_the_ceiling() -> None:
    ticks = Ticks()
    storage = BoundedMemoryStorage(ttl_seconds=60, max_keys=3, clock=ticks)
    await storage.set_state(key(1), "a")
    ticks.now = 30
    await storage.set_state(key(2), "b")
    ticks.now = 61  # key 1 idle for 61 s
    assert await storage.get_state(key(1)) is None
    assert await storage.get_state(key(2)) == "b"  # used: its clock starts again
    for n in (3, 4, 5):
        await storage.set_state(key(n), "c")
    assert len(storage) == 3 and await storage.get_state(key(2)) is None
    ticks.now = 200
    await storage.set_state(key(6), "d")
    assert len(storage) == 1


def test_the_bot_keeps_dialogs_in_the_bounded_storage() -> None:
    settings = Settings(_env_file=None, bot_token="1:x", redis_url="")
    assert isinstance(build_storage(settings), BoundedMemoryStorage)
    webhook = Settings(_env_file=None, bot_token="1:x", redis_url="", mode="webhook",
                       webhook_secret="s")
    assert isinstance(build_storage(webhook), StepStorage)


async def test_a_dialog_moves_on_only_once_its_update_was_handled() -> None:
    """A replica killed mid-update must not leave the dialog one question ahead of the
    person: the redelivered update is then read as the answer to the same question."""
    inner = BoundedMemoryStorage(ttl_seconds=60, max_keys=100)
    storage = StepStorage(inner)
    middleware = DialogStepMiddleware(storage)
    await storage.set_state(key(1), "Intake:name")

    async def answered(event, data):  # type: ignore[no-untyped-def]
        await storage.set_state(key(1), "Intake:reach")
        await storage.update_data(key(1), {"name": "Maria"})
        assert await storage.get_state(key(1)) == "Intake:reach"  # the handler reads its own
        assert await inner.get_state(key(1)) == "Intake:name"  # nobody else does yet
        return "done"

    async def killed(event, data):  # type: ignore[no-untyped-def]
        await storage.set_state(key(1), "Intake:gender")
        raise RuntimeError("the process died before answering")

    assert await middleware(answered, None, {}) == "done"  # type: ignore[arg-type]
    assert (await inner.get_state(key(1)), await inner.get_data(key(1))) == (
        "Intake:reach", {"name": "Maria"})
    with pytest.raises(RuntimeError):
        await middleware(killed, None, {})  # type: ignore[arg-type]
    assert await storage.get_state(key(1)) == "Intake:reach"
