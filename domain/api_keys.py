"""Keys that let another system (a web form, a CRM) hand contacts to the team over HTTP.

Each key belongs to one named source, is shown once at creation and kept only as a hash,
so a database leak does not leak working keys."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInput

PREFIX = "dk_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


class IdempotencyKeyTaken(Exception):
    """Another request claimed this Idempotency-Key meanwhile (the storage's unique key said
    so). Not a refusal: the caller rolls back and answers from that request's record."""


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str  # the source: contacts it brings are marked "api:<name>"
    created_by: int  # the admin who made it; contacts enter in their name
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def key_hash(secret: str) -> str:
    """The key is long and random, so a plain SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_key_name(text: str) -> str:
    name = text.strip()
    if not _NAME.match(name):
        raise InvalidInput("key_name")
    return name


def request_hash(body: bytes) -> str:
    """What an idempotency key is bound to: the same key with another body is a mistake."""
    return hashlib.sha256(body).hexdigest()
