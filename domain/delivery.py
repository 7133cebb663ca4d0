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


class Purpose(StrEnum):
    """What an outbox row is about. The ones in RENDERED_WHEN_SENT carry only a reference
    (ref_id) and are rendered by the sender from the state at the moment they go out, so a
    message that waited behind a flood limit never shows stale facts."""

    ALARM = "alarm"  # escalations, auto-dispatch hand-overs, "cannot be reached": first out
    NOTICE = "notice"
    DIGEST = "digest"  # digests and the weekly report: bulk, like cards
    OFFER = "offer"  # ref: the offer; where it lands is remembered for its later edits
    CARD = "card"  # ref: the contact; posted once, then edited in place
    NEW_CONTACT = "new_contact"  # ref: the contact; a ping to real-time dispatchers
    DECLINED = "declined"  # ref: the offer; a ping to real-time dispatchers
    WITHDRAWN = "withdrawn"  # ref: the offer; its message to the multiplier, edited
    EXPIRED = "expired"  # ref: the offer; its message to the multiplier, edited
    EXPIRED_PING = "expired_ping"  # ref: the offer; a ping to real-time dispatchers
    AUTO_CLOSED = "auto_closed"  # ref: the contact; a ping to real-time dispatchers
    TRIAGE = "triage"  # ref: the conversation; its triage card, posted then edited in place
    RELAY_IN = "relay_in"  # ref: the seeker's stored message, to the multiplier holding them
    RELAY_OUT = "relay_out"  # ref: the multiplier's stored message; text made when queued
    RELAY_FAILED = "relay_failed"  # ref: the same; tells the multiplier it did not arrive
    BURST = "burst"  # ref: the arrival batch; one team-chat summary instead of its cards
    RELEASED = "released"  # ref: the accepted offer; tells its holder they hold it no more
    RELEASED_EDIT = "released_edit"  # ref: the same; their message with the details, edited


RENDERED_WHEN_SENT = frozenset({Purpose.CARD, Purpose.NEW_CONTACT, Purpose.DECLINED,
                                Purpose.WITHDRAWN, Purpose.EXPIRED, Purpose.EXPIRED_PING,
                                Purpose.AUTO_CLOSED, Purpose.TRIAGE, Purpose.RELAY_IN,
                                Purpose.RELAY_FAILED, Purpose.BURST, Purpose.RELEASED,
                                Purpose.RELEASED_EDIT})


#: Send order, lowest first: alarms, then answers to people (relayed messages both ways),
#: then offers, their edits, pings and notices, then bulk (cards, digests). Within a chat and
#: a priority messages keep the order they were queued in. A 1,000-row import queues 1,000
#: cards for the group's 20 a minute; an escalation must not wait the 50 minutes behind them.
PRIORITY: dict[str, int] = {
    Purpose.ALARM: 0,
    Purpose.RELAY_IN: 1, Purpose.RELAY_OUT: 1, Purpose.RELAY_FAILED: 1,
    Purpose.CARD: 3, Purpose.DIGEST: 3,
}
#: Offers and their edits, pings, notices, triage cards.
DEFAULT_PRIORITY = 2


def priority(purpose: str) -> int:
    return PRIORITY.get(purpose, DEFAULT_PRIORITY)
