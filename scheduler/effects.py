"""After a commit: the one place that turns a transaction's effects into action.

Built once at assembly and given to every unit of work (updates, jobs, the HTTP API), so
no entry point has to remember to wake the sender or to run auto-dispatch."""

import logging
from collections.abc import Callable

from domain.effects import Effect
from scheduler.sender import OutboxSender

log = logging.getLogger(__name__)


class AfterCommit:
    def __init__(self, sender: OutboxSender) -> None:
        self.sender = sender
        #: runs the auto-dispatch job now (set once the job context exists)
        self.autodispatch: Callable[[], None] | None = None

    def __call__(self, effects: frozenset[Effect]) -> None:
        if Effect.WAKE_SENDER in effects:
            self.sender.wake()
        if Effect.AUTODISPATCH in effects and self.autodispatch is not None:
            self.autodispatch()
