"""Rendering for a reader: a text made in the language of the person who will read it, not of
whoever caused it (services.languages decides which; "" is the team's default)."""

import contextlib
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from aiogram.utils.i18n import get_i18n

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def speaking(locale: str) -> Iterator[None]:
    """gettext, ngettext and Babel's formats in `locale` inside the block."""
    i18n = get_i18n()
    with i18n.use_locale(locale or i18n.default_locale):  # English is the msgids themselves
        yield


def for_reader(render: Callable[P, R]) -> Callable[Concatenate[str, P], R]:
    """`render` with the reader's locale as its first argument: what use cases call when they
    compose a message for someone else (services' Compose* types)."""
    @wraps(render)
    def rendered(locale: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with speaking(locale):
            return render(*args, **kwargs)
    return rendered


def words(render: Callable[P, str], *args: P.args, **kwargs: P.kwargs) -> Callable[[str], str]:
    """A text to be made in its reader's locale (services.notify.Words)."""
    return lambda locale: for_reader(render)(locale, *args, **kwargs)
