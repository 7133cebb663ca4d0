"""'Update needed' over time: nag the multiplier, escalate a silent one, auto-close the
unreachable; and the dispatchers' answers to an escalation. Callers commit."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.contacts import ASSIGNED_STATUSES, Contact, Status
from domain.delivery import Purpose
from domain.followup_rules import NagAction, NagPolicy, auto_close_due, nag_action, stage_clock
from domain.members import Member
from domain.seeker_privacy import hears_seeker
from services import languages, notify
from services.access import found
from services.card_queue import changed, show
from services.cards import CardView
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Due:
    contact: Contact
    action: NagAction
    assignee: Member


@use_case
async def due_nags(uow: UnitOfWork, policy: NagPolicy, now: datetime) -> list[Due]:
    result = []
    held = await uow.contacts.nag_candidates(policy.first_due(ASSIGNED_STATUSES, now),
                                             now - policy.interval)
    accepted = await uow.offers.accepted_for_contacts([c.id for c in held])
    for contact in held:
        offer = accepted.get(contact.id)
        action = nag_action(contact, contact.nag_count, contact.last_nag_at,
                            contact.escalated_at is not None, offer.days if offer else 1,
                            policy, now)
        if action is not NagAction.NONE and contact.assignee_id:
            assignee = found(await uow.members.get(contact.assignee_id), "member")
            if not hears_seeker(contact, assignee):  # left the team: tell the team instead
                action = NagAction.ESCALATE
            result.append(Due(contact, action, assignee))
    return result


@use_case
async def record_nag(uow: UnitOfWork, contact: Contact, now: datetime) -> bool:
    """False if the contact moved since the job read it (then no reminder goes out)."""
    if not await uow.contacts.update_if_unchanged(contact, nag_count=contact.nag_count + 1,
                                                  last_nag_at=now):
        return False
    await uow.audit.record(now, None, "contact", contact.id, "nag", contact.nag_count,
                           contact.nag_count + 1)
    await uow.tracks.reminded(contact.id, now)
    return True


@use_case
async def escalate(uow: UnitOfWork, contact: Contact, now: datetime) -> CardView | None:
    if not await uow.contacts.update_if_unchanged(contact, escalated_at=now):
        return None
    await uow.audit.record(now, None, "contact", contact.id, "escalate", None, "not_responding")
    await uow.tracks.reminded(contact.id, now)
    return await changed(uow, contact.id, now)


@use_case
async def due_auto_close(uow: UnitOfWork, after: timedelta, now: datetime) -> list[Contact]:
    return [c for c in await uow.contacts.in_stage_since(Status.COULD_NOT_REACH, now - after)
            if auto_close_due(c, after, now)]


@use_case
async def auto_close(uow: UnitOfWork, contact: Contact, now: datetime,
                     quiet: notify.Quiet = notify.NO_QUIET) -> bool:
    """'Could not reach' for too long: closed, the card redrawn, real-time dispatchers told."""
    if not await uow.contacts.transition(contact.id, [Status.COULD_NOT_REACH], Status.CLOSED,
                                         close_reason="no_response", stage_changed_at=now):
        return False
    await uow.audit.record(now, None, "contact", contact.id, "auto_close", contact.status,
                           Status.CLOSED)
    await show(uow, contact.id, now)
    await notify.to_realtime_dispatchers(uow, "", now, quiet, purpose=Purpose.AUTO_CLOSED,
                                         ref_id=contact.id)
    await uow.commit()
    return True


#: Renders the reminder in its reader's locale: (locale, contact, since) -> (text, JSON buttons).
ComposeNag = Callable[[str, Contact, datetime], tuple[str, str]]
#: Renders the escalation in the team's: (locale, contact, silent multiplier) -> (text, JSON).
ComposeEscalation = Callable[[str, Contact, Member], tuple[str, str]]


@use_case
async def act(uow: UnitOfWork, item: Due, now: datetime, quiet: notify.Quiet,
              compose_nag: ComposeNag, compose_escalation: ComposeEscalation) -> bool:
    """The nag job's move for one contact: remind its multiplier, or escalate to the team
    chat when reminders went unanswered. False if the contact moved meanwhile."""
    contact = item.contact
    since = stage_clock(contact)
    if item.action is NagAction.NAG:
        if not await record_nag(uow, contact, now):
            return False
        text, markup = compose_nag(await languages.of_member(uow, item.assignee), contact, since)
        await notify.to_member(
            uow, item.assignee, text, now, quiet, reply_markup=markup,
            dedupe_key=f"nag:{contact.id}:{contact.nag_count + 1}:{since.isoformat()}")
    else:
        if await escalate(uow, contact, now) is None:
            return False
        text, markup = compose_escalation(await languages.of_team(uow), contact, item.assignee)
        await notify.to_team(uow, text, now, reply_markup=markup, purpose=Purpose.ALARM,
                             dedupe_key=f"escalate:{contact.id}:{since.isoformat()}")
    await uow.commit()
    return True
