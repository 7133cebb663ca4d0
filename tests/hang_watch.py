"""A test that hangs fails after HANG_SECONDS and shows where it stood, instead of
holding the whole run until CI's wall-clock limit cuts it off without a word.

Most tests here are asyncio: a thread dump alone shows only the event loop waiting in
`select`, so the dump also prints the stack of every task of the running loop. SIGALRM
runs the handler in the main thread, between two bytecodes of whatever runs there, so the
loop is the one `asyncio` reports as running."""

import asyncio
import faulthandler
import os
import signal
import sys
import threading
from collections.abc import Iterator

import pytest

#: Above the slowest test's own limit: the three-replica fault test may take up to its
#: 600 s deadline (tests/scale, SCALE_DEADLINE) on a loaded machine, and reports then.
HANG_SECONDS = float(os.environ.get("TEST_HANG_SECONDS", 900))


class Hang(Exception):
    """Raised into the test that overstayed; its stacks are already on stderr."""


def _dump(signum: int, frame: object) -> None:
    sys.stderr.write(f"\n=== test still running after {HANG_SECONDS:.0f}s: threads ===\n")
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    loop = asyncio._get_running_loop()
    if loop is not None:
        sys.stderr.write("=== asyncio tasks ===\n")
        for task in asyncio.all_tasks(loop):
            task.print_stack(file=sys.stderr)
    sys.stderr.flush()
    raise Hang(f"still running after {HANG_SECONDS:.0f}s (stacks on stderr)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    if HANG_SECONDS <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _dump)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
