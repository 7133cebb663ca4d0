"""Every use case leaves no transaction open when it raises: a refusal must not keep the
database locked while the handler answers over the network."""

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def use_case(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await fn(*args, **kwargs)
        except BaseException:
            await args[0].rollback()  # type: ignore[attr-defined]
            raise

    return wrapper
