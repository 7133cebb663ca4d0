"""Fewer malloc arenas for the threads SQLite runs in.

aiosqlite runs each pooled connection in a thread of its own, and glibc gives a thread that
meets another in malloc an arena of its own (up to eight per core), each keeping freed pages
for itself. With a pool of fifteen connections under a burst that was about 17 MB of a
bot's peak memory (benchmarks.presses), for no speed: the threads mostly wait for SQLite, and
Python code runs one thread at a time anyway. Two arenas is what glibc's
MALLOC_ARENA_MAX=2 gives, the common setting for threaded Python servers; a
MALLOC_ARENA_MAX set in the environment is left to glibc, and elsewhere (musl, macOS)
nothing is done.
"""

import ctypes
import ctypes.util
import os
import sys

#: mallopt's parameter number for the arena limit (glibc's malloc.h).
M_ARENA_MAX = -8
ARENAS = 2

_done = False


def limit_arenas() -> None:
    """Before the connections' threads start: arenas they already made stay."""
    global _done
    if _done or not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    _done = True
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(M_ARENA_MAX, ARENAS)
