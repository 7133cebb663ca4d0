"""What a use case leaves to be done after its commit.

Durable consequences (a card to post or redraw, a message to someone) are outbox rows
written in the use case's own transaction. What is left here are nudges that only make
things happen sooner, so losing one to a crash loses nothing: the sender polls the outbox
and auto-dispatch runs on its timer anyway."""

from enum import Enum


class Effect(Enum):
    WAKE_SENDER = "wake_sender"  # rows were queued: send them now, not at the next poll
    AUTODISPATCH = "autodispatch"  # a contact may be auto-dispatched (new, or declined)


class Effects:
    """Collected during a transaction; handed over only if it commits."""

    def __init__(self) -> None:
        self._pending: set[Effect] = set()

    def add(self, effect: Effect) -> None:
        self._pending.add(effect)

    def take(self) -> frozenset[Effect]:
        taken, self._pending = frozenset(self._pending), set()
        return taken

    def discard(self) -> None:
        self._pending.clear()
