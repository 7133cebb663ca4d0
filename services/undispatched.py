"""Nobody forgotten before dispatch: a contact that waits undispatched longer than
UNDISPATCHED_ALARM_HOURS (quiet hours in the team's zone not counted) is raised in the team
chat once, and listed in every dispatcher digest until someone dispatches it.

One alarm per contact, ever (`contacts.undispatched_alarm_at` is never cleared): a contact
that comes back to dispatch after a decline or a hand-back is still listed in the digests
while it waits too long, but the team chat is not alarmed about the same seeker twice."""

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.contacts import Contact
from domain.delivery import Purpose
from domain.lifecycle import OFFERABLE
from domain.timing import counted_wait_ends
from services import languages, notify
from services.ports import UnitOfWork
from services.transaction import use_case


def waited_too_long(contact: Contact, limit: timedelta, quiet: notify.Quiet,
                    now: datetime) -> bool:
    """Undispatched for longer than `limit` of waiting outside the team's quiet hours."""
    hours = (quiet.start, quiet.end) if quiet.start and quiet.end else None
    ends = counted_wait_ends(contact.waiting_since, limit, ZoneInfo(quiet.team_zone), hours)
    return contact.status in OFFERABLE and now >= ends


async def forgotten(uow: UnitOfWork, limit: timedelta, quiet: notify.Quiet,
                    now: datetime) -> list[Contact]:
    """Every contact waiting for dispatch too long, oldest first (for the digests)."""
    return [c for c in await uow.contacts.with_status(OFFERABLE)
            if waited_too_long(c, limit, quiet, now)]


@use_case
async def due(uow: UnitOfWork, limit: timedelta, quiet: notify.Quiet,
              now: datetime) -> list[Contact]:
    """Contacts to raise now: waited too long and never raised before."""
    found = [c for c in await uow.contacts.unalarmed(OFFERABLE)
             if waited_too_long(c, limit, quiet, now)]
    await uow.commit()
    return found


#: The team chat's alarm in its language: (locale, contact, hours) -> (text, markup JSON).
ComposeAlarm = Callable[[str, Contact, int], tuple[str, str | None]]
#: One alarm for many at once (an import nobody dispatched): (locale, contacts, hours).
ComposeAlarms = Callable[[str, list[Contact], int], tuple[str, str | None]]

#: More contacts than this due in one run get one alarm together, not one message each.
BURST = 5


@use_case
async def raise_alarm(uow: UnitOfWork, contact: Contact, hours: int, now: datetime,
                      compose: ComposeAlarm) -> bool:
    """The one alarm for this contact, if it still waits for dispatch; the mark and the
    message in one transaction (the dedupe key holds even against a second job run)."""
    if not await _mark(uow, contact, hours, now):
        return False
    text, markup = compose(await languages.of_team(uow), contact, hours)
    await notify.to_team(uow, text, now, reply_markup=markup, purpose=Purpose.ALARM,
                         dedupe_key=f"undispatched:{contact.id}")
    await uow.commit()
    return True



@use_case
async def raise_together(uow: UnitOfWork, contacts: list[Contact], hours: int, now: datetime,
                         compose: ComposeAlarms) -> int:
    """Many due at once (a burst of arrivals left waiting): each marked, one message naming
    them, so the team chat is not flooded. Returns how many were raised."""
    raised = [c for c in contacts if await _mark(uow, c, hours, now)]
    if raised:
        text, markup = compose(await languages.of_team(uow), raised, hours)
        await notify.to_team(uow, text, now, reply_markup=markup, purpose=Purpose.ALARM,
                             dedupe_key=f"undispatched:{raised[0].id}+{len(raised)}")
    await uow.commit()
    return len(raised)


async def _mark(uow: UnitOfWork, contact: Contact, hours: int, now: datetime) -> bool:
    """The contact's one alarm, recorded if it still waits as it was read."""
    if not await uow.contacts.transition(contact.id, [contact.status], contact.status,
                                         undispatched_alarm_at=now):
        return False
    await uow.audit.record(now, None, "contact", contact.id, "undispatched_alarm", None,
                           str(hours))
    return True
