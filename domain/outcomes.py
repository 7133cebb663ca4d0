"""What became of a seeker, as its operator hears it in their digest: the audit log's
contact events turned into a few outcomes (offered, accepted, a stage, closed and why,
handed back, back in dispatch, merged)."""

import json
from dataclasses import dataclass
from enum import StrEnum

from domain.contacts import CloseReason, Status


class Outcome(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    STAGE = "stage"  # `detail`: the stage reached (domain.contacts.Status)
    BACK_IN_DISPATCH = "back"  # declined, or the offer lapsed
    HANDED_BACK = "handed_back"
    CLOSED = "closed"  # `detail`: why (domain.contacts.CloseReason)
    MERGED = "merged"  # `detail`: the record it was merged into


@dataclass(frozen=True)
class Event:
    outcome: Outcome
    detail: str = ""


#: Audit actions on a contact that say nothing more than their outcome.
_PLAIN = {
    "offer": Outcome.OFFERED, "auto_offer": Outcome.OFFERED, "assign": Outcome.ACCEPTED,
    "declined": Outcome.BACK_IN_DISPATCH, "offer_expired": Outcome.BACK_IN_DISPATCH,
    "hand_back": Outcome.HANDED_BACK,
}
_CLOSES = {"auto_close": CloseReason.NO_RESPONSE, "no_answer_close": CloseReason.NO_RESPONSE,
           **{f"close:{r.value}": r for r in CloseReason}}

#: Every contact action an operator's digest reads (storage filters on these).
ACTIONS = sorted({*_PLAIN, *_CLOSES, "stage", "merged_into"})


def event(action: str, after: str | None) -> Event | None:
    """The outcome an audit row means for the seeker's operator; None: not news for them."""
    if action in _PLAIN:
        return Event(_PLAIN[action])
    if action in _CLOSES:
        return Event(Outcome.CLOSED, _CLOSES[action].value)
    value = _json(after)
    if action == "stage" and isinstance(value, str) and value in Status._value2member_map_:
        return Event(Outcome.STAGE, value)
    if action == "merged_into":
        keeper = value.get("keeper") if isinstance(value, dict) else None
        return Event(Outcome.MERGED, str(keeper) if isinstance(keeper, int) else "")
    return None


def _json(after: str | None) -> object:
    """An audit row's `after` (JSON text); None if there is none or it does not parse."""
    try:
        return json.loads(after) if after else None
    except ValueError:
        return None
