"""PostgreSQL advisory locks held to the end of a transaction, by namespace (the first key
of pg_*advisory_xact_lock(int, int)) and a 32-bit key. Two values sharing a key only take
turns; no lock is ever needed for correctness of a single statement."""

import hashlib

#: Namespaces.
CHAT = 1  # the outbox: one replica claims a chat's rows at a time
IDENTITY = 2  # intake: one arrival per identifier (phone, e-mail, username) at a time


def int4(value: int) -> int:
    """A 64-bit id (a Telegram chat) folded into the lock functions' signed 32-bit key."""
    folded = (value ^ (value >> 32)) & 0xFFFFFFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


def text_key(value: str) -> int:
    """A stable 32-bit key for a string, the same in every process (hash() is salted)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=4).digest(), "big",
                          signed=True)
