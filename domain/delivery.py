"""What to do when Telegram refuses a message: retry later, give up, or mark the person
unreachable. Pure, keyed on the HTTP status Telegram answered."""

from datetime import timedelta
from enum import StrEnum

MAX_ATTEMPTS = 10


class DeliveryOutcome(StrEnum):
    RETRY = "retry"  # 429, 5xx, network: try again later
    BLOCKED = "blocked"  # 403: the person blocked the bot
    FATAL = "fatal"  # other 4xx: will never succeed


def classify_failure(status_code: int | None) -> DeliveryOutcome:
    if status_code is None or status_code == 429 or status_code >= 500:
        return DeliveryOutcome.RETRY
    if status_code == 403:
        return DeliveryOutcome.BLOCKED
    return DeliveryOutcome.FATAL


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Telegram's retry_after wins; otherwise exponential backoff capped at five minutes."""
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), 300))
