"""A contact's history as one compact timeline, from its audit rows and its offers.

An offer is one line with its outcome (offered to Anna: declined, too busy), placed where the
audit log recorded it being made, so the order stays true even when several steps share a
timestamp. The contact-level audit rows an offer's line already tells (the offer, its
decline, its acceptance, its withdrawal or lapse) are not repeated."""

import json
from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.offers import Offer

#: Contact audit actions that mark an offer being made: the offer's line goes there.
OFFER_MADE = frozenset({"offer", "auto_offer"})
#: Contact audit actions an offer's outcome already shows.
OFFER_OUTCOMES = frozenset({"declined", "assign", "withdraw", "offer_expired",
                            "undeliverable"})
#: What a screen shows at most; older events are counted.
SHOWN = 15


@dataclass(frozen=True)
class Event:
    """One line: an audit action (`kind`) with its values, or an offer (`kind` "offer")."""

    at: datetime
    kind: str
    actor_id: int | None = None
    before: object = None
    after: object = None
    offer: Offer | None = None


@dataclass(frozen=True)
class Timeline:
    events: tuple[Event, ...]
    earlier: int = 0  # events left out before the first one shown


def _value(text: str | None) -> object:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def event(at: datetime, actor_id: int | None, action: str, before: str | None,
          after: str | None) -> Event:
    """An audit row as a timeline event (`before`/`after` as the log keeps them: JSON)."""
    return Event(at, action, actor_id, _value(before), _value(after))


def build(audit: Iterable[Event], offers: Iterable[Offer], shown: int = SHOWN) -> Timeline:
    """`audit`: the contact's rows in the order they were written; `offers`: its offers."""
    waiting = sorted(offers, key=lambda o: o.id)
    events: list[Event] = []
    for row in audit:
        if row.kind in OFFER_MADE and waiting:
            offer = waiting.pop(0)
            events.append(Event(offer.created_at, "offer", offer.offered_by, offer=offer))
        elif row.kind not in OFFER_MADE | OFFER_OUTCOMES:
            events.append(row)
    for offer in waiting:  # made before the audit log said where: placed by time
        insort(events, Event(offer.created_at, "offer", offer.offered_by, offer=offer),
               key=lambda e: e.at)
    cut = max(len(events) - shown, 0)
    return Timeline(tuple(events[cut:]), cut)
