"""The WAL file's checkpoints, in a worker thread instead of inside a writer's COMMIT.

A writer's COMMIT runs in the event loop's thread (storage.sqlite_connection): in WAL mode
with synchronous=NORMAL it appends the transaction's pages to the WAL file and syncs
nothing. But SQLite's automatic checkpoint runs inside whichever COMMIT finds the WAL past
1,000 pages: it copies them into the database file and syncs that to disk, milliseconds
during which the event loop would wait. The bot's connections turn it off
(`PRAGMA wal_autocheckpoint=0`), and every `EVERY` writers' commits this runs
`PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own in a worker thread. A passive
checkpoint neither waits for nor blocks readers and writers; what it could not copy (a
reader still on an older snapshot) the next one copies. When the last connection closes,
SQLite checkpoints as always.
"""

import asyncio
import logging
import sqlite3
from contextlib import closing

log = logging.getLogger(__name__)

#: Writers' commits between two checkpoints: a press writes a few pages, so the WAL file
#: stays around SQLite's own threshold (1,000 pages).
EVERY = 100


class Checkpoints:
    """One database file's checkpoints, one at a time."""

    def __init__(self, path: str, busy_seconds: float) -> None:
        self.path = path
        self.busy_seconds = busy_seconds
        self._commits = 0
        self._running: asyncio.Future | None = None

    def committed(self) -> None:
        """A writer's transaction ended (in the event loop's thread)."""
        self._commits += 1
        if self._commits < EVERY or self._running is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a connection given back outside the loop: the next commit
            return
        self._commits = 0
        self._running = loop.run_in_executor(None, self._checkpoint)
        self._running.add_done_callback(self._done)

    def _checkpoint(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=self.busy_seconds)) as database:
            database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _done(self, future: asyncio.Future) -> None:
        self._running = None
        if not future.cancelled() and future.exception() is not None:
            log.warning("WAL checkpoint failed (the next one copies what it did not)",
                        extra={"error": str(future.exception())})
