"""Merging a suspected duplicate into the older record, and undoing it.

Nothing is deleted: the merged-away record stays (status merged, merged_into = keeper) with its
offers, touches and audit trail; the merge row keeps both records as they were, so undo puts
them back, unless the kept record changed since (then undo is refused rather than overwrite
that). Open offers on the merged-away record are withdrawn and their multipliers told.
"""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from domain import merge as rules
from domain.contacts import Contact, ContactDetails, Status
from domain.conversations import RelayStatus
from domain.duplicates import MERGED
from domain.errors import NoLongerAvailable
from domain.members import Gender, Member
from domain.offers import OfferStatus
from domain.outbox import Enqueue
from domain.roles import DISPATCH_ROLES
from services import languages
from services.access import found, require
from services.card_queue import changed
from services.cards import CardView
from services.duplicates import pending_suspect
from services.notify import Quiet, to_member
from services.ports import UnitOfWork
from services.transaction import use_case

#: Renders a merge notice: (locale, kind, keeper, merged, the multiplier who keeps it or None).
#: kinds: "kept" (you keep the seeker), "lost" (someone else does), "offer_withdrawn".
ComposeMerge = Callable[[str, str, Contact, Contact, Member | None], str]
FOLLOW_MERGE = "follow_merge"  # audit action: a conversation moved to the kept record
_ASSIGNMENT = ("status", "assignee_id", "stage_changed_at", "nag_count", "last_nag_at",
               "escalated_at", "close_reason")


@dataclass(frozen=True)
class MergePreview:
    keeper: Contact
    merged: Contact
    conflicts: tuple[rules.Conflict, ...]
    holders: dict[int, str]  # multiplier id -> name, when two multipliers hold the two records

    @property
    def needs_choice(self) -> bool:
        return bool(self.conflicts or self.holders)


@dataclass(frozen=True)
class MergeDone:
    keeper: CardView
    merged: CardView
    merge_id: int


@use_case
async def preview(uow: UnitOfWork, actor: Member | None, suspect_id: int, contact_id: int,
                  now: datetime) -> MergePreview:
    require(actor, *DISPATCH_ROLES)
    keeper, merged = await _pair(uow, suspect_id, contact_id)
    holders: dict[int, str] = {}
    if rules.needs_keeper_choice(keeper, merged):
        for member_id in (keeper.assignee_id, merged.assignee_id):
            member = await uow.members.get(member_id) if member_id else None
            holders[member_id or 0] = member.name if member else "?"
    await uow.commit()
    return MergePreview(keeper, merged, rules.conflicts_preview(keeper, merged), holders)


@use_case
async def merge(uow: UnitOfWork, actor: Member | None, suspect_id: int, contact_id: int,
                now: datetime, compose: ComposeMerge, quiet: Quiet,
                prefer: rules.Prefer = rules.Prefer.NEWEST,
                keep_with: int | None = None) -> MergeDone:
    actor = require(actor, *DISPATCH_ROLES)
    keeper, merged = await _pair(uow, suspect_id, contact_id)
    # Hold both records, then plan from them as they are now: an accept racing the merge
    # either landed before (and is planned with) or waits and finds the offer withdrawn.
    await uow.contacts.lock([keeper.id, merged.id])
    keeper, merged = await _pair(uow, suspect_id, contact_id)
    plan = rules.plan(keeper, merged, prefer, keep_with if keep_with else None)
    if not await uow.duplicates.decide(suspect_id, MERGED, actor.id, now):
        raise NoLongerAvailable("decided")
    withdrawn = await _withdraw_offers(uow, actor, merged, keeper, now, compose, quiet)
    if plan.takes_assignment:
        withdrawn += await _withdraw_offers(uow, actor, keeper, keeper, now, compose, quiet)
    assignment = {f: getattr(merged, f) for f in _ASSIGNMENT} if plan.takes_assignment else {}
    if assignment.get("status") is Status.OFFERED:
        assignment["status"] = Status.NEW
    if "status" in assignment:
        assignment["status"] = assignment["status"].value
    await uow.contacts.set_details(keeper.id, plan.details, **assignment)
    await uow.contacts.set_fields(merged.id, status=Status.MERGED.value, merged_into=keeper.id)
    conflicts = [asdict(c) for c in plan.conflicts]
    merge_id = await uow.duplicates.add_merge(
        keeper.id, merged.id, actor.id, now, _snapshot(keeper), _snapshot(merged),
        conflicts + [{"field": k, "kept": None, "set_aside": v}
                     for k, v in plan.set_aside_methods.items()], withdrawn)
    await uow.audit.record(now, actor.id, "contact", keeper.id, "merge", _snapshot(keeper),
                           {"merged": merged.id, "details": asdict(plan.details),
                            "set_aside": conflicts, **assignment})
    await uow.audit.record(now, actor.id, "contact", merged.id, "merged_into",
                           merged.status, {"keeper": keeper.id})
    holder_stays = plan.takes_assignment or keeper.assignee_id == merged.assignee_id
    await _follow_seeker(uow, actor, merged.id, keeper.id, now, holder_stays)
    await _tell_holders(uow, keeper, merged, plan.takes_assignment, now, compose, quiet)
    done = MergeDone(await changed(uow, keeper.id, now), await changed(uow, merged.id, now),
                     merge_id)
    await uow.commit()
    return done


@use_case
async def undo(uow: UnitOfWork, actor: Member | None, merge_id: int, now: datetime) -> MergeDone:
    """Both records back as they were before the merge; the pair is a pending suspect again.
    Offers withdrawn by the merge stay withdrawn (an offered record comes back as new)."""
    actor = require(actor, *DISPATCH_ROLES)
    record = found(await uow.duplicates.get_merge(merge_id), "merge")
    if await _changed_since(uow, record):
        raise NoLongerAvailable("changed_since_merge")
    if not await uow.duplicates.mark_undone(merge_id, actor.id, now):
        raise NoLongerAvailable("undone")
    await _restore(uow, record.keeper_id, record.keeper_before)
    await _restore(uow, record.merged_id, record.merged_before, merged_into=None)
    await uow.duplicates.reopen_pair(record.keeper_id, record.merged_id)
    await _unfollow_seeker(uow, actor, record.keeper_id, record.merged_id, now)
    await uow.audit.record(now, actor.id, "contact", record.keeper_id, "unmerge", None,
                           {"merge": merge_id, "merged": record.merged_id})
    await uow.audit.record(now, actor.id, "contact", record.merged_id, "unmerge", None,
                           {"merge": merge_id, "keeper": record.keeper_id})
    done = MergeDone(await changed(uow, record.keeper_id, now),
                     await changed(uow, record.merged_id, now), merge_id)
    await uow.commit()
    return done


async def _follow_seeker(uow: UnitOfWork, actor: Member, merged_id: int, keeper_id: int,
                         now: datetime, holder_stays: bool) -> None:
    """The seeker's conversation moves to the kept record, so their next words reach whoever
    holds it (domain.seeker_privacy asks about the contact the conversation names). If the
    kept record has a conversation of its own, each stays where it is. A kept record held
    by someone else than the one who talked with the seeker starts the relay afresh: no
    answer is owed by its holder for the other's round."""
    conv = await uow.conversations.by_contact(merged_id)
    if conv is None or await uow.conversations.by_contact(keeper_id) is not None:
        return
    fresh = {} if holder_stays else {"relay_status": RelayStatus.NONE.value,
                                     "handler_since": None, "first_out_at": None}
    await uow.conversations.set_fields(conv.id, contact_id=keeper_id, **fresh)
    await uow.audit.record(now, actor.id, "conversation", conv.id, FOLLOW_MERGE, merged_id,
                           keeper_id)


async def _unfollow_seeker(uow: UnitOfWork, actor: Member, keeper_id: int, merged_id: int,
                           now: datetime) -> None:
    """Undo: a conversation the merge moved to the kept record goes back."""
    conv = await uow.conversations.by_contact(keeper_id)
    if conv is None:
        return
    moves = [e for e in await uow.audit.for_entity("conversation", conv.id)
             if e.action == FOLLOW_MERGE]
    if moves and json.loads(moves[-1].before or "null") == merged_id:
        await uow.conversations.set_fields(conv.id, contact_id=merged_id)
        await uow.audit.record(now, actor.id, "conversation", conv.id, "unmerge", keeper_id,
                               merged_id)


async def _changed_since(uow: UnitOfWork, record: rules.MergeRecord) -> bool:
    """The kept contact's details, status or multiplier differ from what the merge left (a
    stage, an offer, a method a touch added): undoing would overwrite that, so it is refused.
    Without the merge's audit row nobody can tell, so that is refused too."""
    kept = found(await uow.contacts.get(record.keeper_id), "contact")
    left = next((after for entry in reversed(await uow.audit.for_entity("contact", kept.id))
                 if entry.action == "merge" and entry.after
                 and (after := json.loads(entry.after)).get("merged") == record.merged_id),
                None)
    if left is None:
        return True
    expected = {"details": left["details"],
                **{f: left.get(f, record.keeper_before[f]) for f in ("status", "assignee_id")}}
    current = {"details": asdict(kept.details), "status": kept.status,
               "assignee_id": kept.assignee_id}
    return _plain(current) != _plain(expected)


def _plain(value: object) -> object:
    """As stored in the audit log (JSON), so values read back compare equal."""
    return json.loads(json.dumps(value, default=str))


async def _pair(uow: UnitOfWork, suspect_id: int, contact_id: int) -> tuple[Contact, Contact]:
    suspect = await pending_suspect(uow, suspect_id, contact_id)
    a = found(await uow.contacts.get(suspect.contact_id), "contact")
    b = found(await uow.contacts.get(suspect.other_id), "contact")
    return rules.order(a, b)


async def _withdraw_offers(uow: UnitOfWork, actor: Member, contact: Contact, keeper: Contact,
                           now: datetime, compose: ComposeMerge, quiet: Quiet) -> list[int]:
    withdrawn = []
    for offer in await uow.offers.for_contact(contact.id):
        if offer.status is not OfferStatus.PENDING:
            continue
        if not await uow.offers.transition(offer.id, OfferStatus.PENDING, OfferStatus.WITHDRAWN,
                                           answered_at=now):
            continue
        await uow.contacts.transition(contact.id, [Status.OFFERED], Status.NEW)
        await uow.outbox.cancel("offer", offer.id)
        await uow.audit.record(now, actor.id, "offer", offer.id, "withdraw:merge", "pending",
                               "withdrawn")
        multiplier = await uow.members.get(offer.multiplier_id)
        if multiplier is None:
            withdrawn.append(offer.id)
            continue
        text = compose(await languages.of_member(uow, multiplier), "offer_withdrawn", keeper,
                       contact, multiplier)
        dm = await uow.offers.dm(offer.id)
        if dm:  # the Yes / No stop working and say why
            await uow.outbox.add(Enqueue(chat_id=dm[0], edit_message_id=dm[1], text=text), now)
        else:
            await to_member(uow, multiplier, text, now, quiet, urgent=True)
        withdrawn.append(offer.id)
    return withdrawn


async def _tell_holders(uow: UnitOfWork, keeper: Contact, merged: Contact, took: bool,
                        now: datetime, compose: ComposeMerge, quiet: Quiet) -> None:
    """Every multiplier who held either record hears who keeps the seeker now."""
    holder_id = merged.assignee_id if took else keeper.assignee_id
    holder = await uow.members.get(holder_id) if holder_id else None
    for contact in (keeper, merged):
        if not contact.is_assigned or not contact.assignee_id:
            continue
        member = await uow.members.get(contact.assignee_id)
        if member is None:
            continue
        kind = "kept" if contact.assignee_id == holder_id else "lost"
        text = compose(await languages.of_member(uow, member), kind, keeper, merged, holder)
        await to_member(uow, member, text, now, quiet,
                        urgent=True, dedupe_key=f"merge:{keeper.id}:{merged.id}:{member.id}:{now.isoformat()}"[:100])


def _snapshot(contact: Contact) -> dict:
    return {"details": asdict(contact.details),
            **{f: getattr(contact, f) for f in _ASSIGNMENT}}


async def _restore(uow: UnitOfWork, contact_id: int, snap: dict, **extra: object) -> None:
    d = dict(snap["details"])
    d["gender"] = Gender(d["gender"])
    status = Status(snap["status"])
    fields = {
        "status": (Status.NEW if status is Status.OFFERED else status).value,
        "assignee_id": snap["assignee_id"],
        "nag_count": snap["nag_count"],
        "close_reason": snap["close_reason"],
        **{f: datetime.fromisoformat(snap[f]) if snap[f] else None
           for f in ("stage_changed_at", "last_nag_at", "escalated_at")},
    }
    await uow.contacts.set_details(contact_id, ContactDetails(**d), **fields, **extra)
