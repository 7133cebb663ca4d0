"""Merging two records of one seeker: what the kept record becomes, and what is set aside.

The older record keeps its id. Contact methods are a union: the keeper's empty ones are filled
from the other, and the other's differing ones stay on the merged-away record, which remains
stored (detection and the card follow it). Conflicting fields take the dispatcher's choice or,
by default, the newest non-empty value; the losing value is kept in the merge record and audit.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from domain.contacts import Contact, ContactDetails, Status
from domain.errors import InvalidInput, NoLongerAvailable
from domain.members import Gender

METHODS = ("phone", "email", "tg_username", "tg_user_id")
CHOOSABLE = ("name", "gender", "language", "area", "source")
#: Already merged or closed records are not merged again (undo first).
UNMERGEABLE = frozenset({Status.MERGED})


class Prefer(StrEnum):
    NEWEST = "newest"  # the newer record's non-empty values win
    KEEPER = "keeper"  # the older record's values win where both are set


@dataclass(frozen=True)
class Conflict:
    field: str
    kept: object
    set_aside: object


@dataclass(frozen=True)
class MergePlan:
    keeper_id: int
    merged_id: int
    details: ContactDetails  # the keeper's details after the merge
    conflicts: tuple[Conflict, ...]
    set_aside_methods: dict[str, object] = field(default_factory=dict)
    #: (status, assignee) the keeper takes over from the merged record, if the dispatcher
    #: kept the contact with that record's multiplier.
    takes_assignment: bool = False


def order(a: Contact, b: Contact) -> tuple[Contact, Contact]:
    """(keeper, merged): the older record keeps its id."""
    return (a, b) if (a.created_at, a.id) <= (b.created_at, b.id) else (b, a)


def _empty(value: object) -> bool:
    return value in (None, "", Gender.UNKNOWN)


def needs_keeper_choice(keeper: Contact, merged: Contact) -> bool:
    """Two multipliers hold the two records: only the dispatcher can say who keeps the seeker."""
    return (keeper.is_assigned and merged.is_assigned
            and keeper.assignee_id != merged.assignee_id)


def plan(keeper: Contact, merged: Contact, prefer: Prefer = Prefer.NEWEST,
         keep_with: int | None = None) -> MergePlan:
    if keeper.status in UNMERGEABLE or merged.status in UNMERGEABLE or keeper.id == merged.id:
        raise NoLongerAvailable("merged")
    if needs_keeper_choice(keeper, merged) and keep_with not in (keeper.assignee_id,
                                                                  merged.assignee_id):
        raise InvalidInput("keep_with")
    old, new = keeper.details, merged.details
    changes: dict[str, object] = {}
    conflicts: list[Conflict] = []
    aside: dict[str, object] = {}
    for name in METHODS:
        mine, theirs = getattr(old, name), getattr(new, name)
        if _empty(mine) and not _empty(theirs):
            changes[name] = theirs
        elif not _empty(theirs) and theirs != mine:
            aside[name] = theirs
    for name in CHOOSABLE:
        mine, theirs = getattr(old, name), getattr(new, name)
        if _empty(theirs) or theirs == mine:
            continue
        if _empty(mine) or prefer is Prefer.NEWEST:
            changes[name] = theirs
            if not _empty(mine):
                conflicts.append(Conflict(name, theirs, mine))
        else:
            conflicts.append(Conflict(name, mine, theirs))
    changes.update(_name_parts(old, new, changes))
    if new.notes and new.notes not in old.notes:
        changes["notes"] = f"{old.notes}\n{new.notes}".strip()
    takes = (merged.is_assigned and not keeper.is_assigned) or (
        keep_with is not None and keep_with == merged.assignee_id != keeper.assignee_id) or (
        keeper.status is Status.CLOSED and merged.status is not Status.CLOSED)  # still live
    return MergePlan(keeper.id, merged.id, replace(old, **changes), tuple(conflicts), aside,
                     takes_assignment=bool(takes))


def _name_parts(old: ContactDetails, new: ContactDetails, changes: dict) -> dict:
    """The given and family parts belong to the name they came with: they follow the name
    the merge keeps, and fill in a keeper whose identical name had none."""
    if "name" in changes or (new.name == old.name and old.given_name is None):
        return {"given_name": new.given_name, "family_name": new.family_name}
    return {}


def conflicts_preview(keeper: Contact, merged: Contact) -> tuple[Conflict, ...]:
    """What the dispatcher chooses between, shown before merging (newest wins by default)."""
    return plan(keeper, merged, Prefer.NEWEST,
                keep_with=keeper.assignee_id).conflicts


@dataclass(frozen=True)
class MergeRecord:
    """A merge as stored: what both records were before, so it can be undone."""

    id: int
    keeper_id: int
    merged_id: int
    at: datetime
    keeper_before: dict
    merged_before: dict
    conflicts: list
    withdrawn_offers: list[int]
    undone_at: datetime | None
