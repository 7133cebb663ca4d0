"""Who this process is among the replicas: a name made once at start, for leases and logs."""

import os
import secrets
import socket


def replica_id() -> str:
    """Host, process id and a random part: a restarted process (same pid in a fresh
    container) is never mistaken for the one before it."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
