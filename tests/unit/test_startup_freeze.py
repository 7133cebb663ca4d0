"""What start-up made is kept out of Python's collections (bot.app.freeze_startup_objects):
a full collection walked it all inside whichever press or POST it interrupted."""

import gc
import weakref

from bot.app import freeze_startup_objects


class _Node:
    me: "_Node"


def test_objects_made_before_are_frozen_and_garbage_is_not() -> None:
    kept = [object()]  # a list: tracked by the collector
    cycle = _Node()
    cycle.me = cycle  # garbage only the collector frees
    gone = weakref.ref(cycle)
    del cycle
    try:
        freeze_startup_objects()
        assert gone() is None  # collected first, not frozen for good
        assert not any(o is kept for o in gc.get_objects())  # frozen: never walked again
        made_after = [object()]
        assert any(o is made_after for o in gc.get_objects())  # collected as before
    finally:
        gc.unfreeze()
