"""Dialog (FSM) state: in process memory, bounded; and, wherever it is kept, changed only
once the update that changes it was handled (StepStorage).

aiogram's MemoryStorage is a defaultdict: merely reading the state of someone who writes to
the bot stores a record for them, forever, so every stranger grows the process. Here a read
stores nothing, a cleared dialog is removed, a dialog idle for `ttl_seconds` is forgotten
(the person starts it again), and at most `max_keys` dialogs are kept, least recently used
dropped first. With REDIS_URL, Redis expires the keys after the same idle time.
"""

import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey


@dataclass
class _Dialog:
    used: float
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class BoundedMemoryStorage(BaseStorage):
    def __init__(self, ttl_seconds: float, max_keys: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._max, self._clock = ttl_seconds, max_keys, clock
        self._dialogs: OrderedDict[StorageKey, _Dialog] = OrderedDict()  # least recent first

    def __len__(self) -> int:
        return len(self._dialogs)

    async def close(self) -> None:
        self._dialogs.clear()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        dialog = self._find(key) or _Dialog(self._clock())
        dialog.state = state.state if isinstance(state, State) else state
        self._keep(key, dialog)

    async def get_state(self, key: StorageKey) -> str | None:
        dialog = self._find(key)
        return dialog.state if dialog else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(
                f"Data must be a dict or dict-like object, got {type(data).__name__}")
        dialog = self._find(key) or _Dialog(self._clock())
        dialog.data = data.copy()
        self._keep(key, dialog)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        dialog = self._find(key)
        return dialog.data.copy() if dialog else {}

    def _find(self, key: StorageKey) -> _Dialog | None:
        """The live dialog (its idle clock restarts), or None; reading never stores."""
        self._forget_idle()
        dialog = self._dialogs.get(key)
        if dialog is not None:
            dialog.used = self._clock()
            self._dialogs.move_to_end(key)
        return dialog

    def _keep(self, key: StorageKey, dialog: _Dialog) -> None:
        if dialog.state is None and not dialog.data:
            self._dialogs.pop(key, None)
            return
        dialog.used = self._clock()
        self._dialogs[key] = dialog
        self._dialogs.move_to_end(key)
        while len(self._dialogs) > self._max:
            self._dialogs.popitem(last=False)

    def _forget_idle(self) -> None:
        """The order is by last use, so the idle ones are at the front."""
        cutoff = self._clock() - self._ttl
        while self._dialogs and next(iter(self._dialogs.values())).used < cutoff:
            self._dialogs.popitem(last=False)


#: The dialog changes of the update being handled, by key (set by bot.middlewares.dialog_steps).
_STEP: ContextVar[dict[StorageKey, dict[str, Any]] | None] = ContextVar("dialog_step", default=None)


class StepStorage(BaseStorage):
    """Dialog state that moves on only once an update was handled: while a handler runs, its
    state and data changes are kept aside (and read back by it), and written when it is done;
    a handler that failed writes nothing. Webhook replicas make this matter: a replica killed
    after advancing a dialog but before answering would leave the redelivered update (another
    replica handles it) to be read as the answer to the next question. Used in webhook mode
    only (see bot.app.build_storage)."""

    def __init__(self, inner: BaseStorage) -> None:
        self.inner = inner

    async def close(self) -> None:
        await self.inner.close()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        if not self._keep(key, "state", value):
            await self.inner.set_state(key, value)

    async def get_state(self, key: StorageKey) -> str | None:
        kept = (_STEP.get() or {}).get(key, {})
        return kept["state"] if "state" in kept else await self.inner.get_state(key)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(
                f"Data must be a dict or dict-like object, got {type(data).__name__}")
        if not self._keep(key, "data", data.copy()):
            await self.inner.set_data(key, data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        kept = (_STEP.get() or {}).get(key, {})
        return dict(kept["data"]) if "data" in kept else await self.inner.get_data(key)

    async def write(self, changes: dict[StorageKey, dict[str, Any]]) -> None:
        """The handled update's changes, to the real storage."""
        for key, change in changes.items():
            if "state" in change:
                await self.inner.set_state(key, change["state"])
            if "data" in change:
                await self.inner.set_data(key, change["data"])

    @staticmethod
    def _keep(key: StorageKey, field_: str, value: object) -> bool:
        step = _STEP.get()
        if step is None:  # outside an update (none today): at once
            return False
        step.setdefault(key, {})[field_] = value
        return True


@contextmanager
def one_step() -> Iterator[dict[StorageKey, dict[str, Any]]]:
    """Collect the dialog changes made inside (one update's handling)."""
    changes: dict[StorageKey, dict[str, Any]] = {}
    token = _STEP.set(changes)
    try:
        yield changes
    finally:
        _STEP.reset(token)
