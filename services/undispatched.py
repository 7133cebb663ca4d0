"""Nobody forgotten before dispatch: a contact that waits undispatched longer than
UNDISPATCHED_ALARM_HOURS (quiet hours in the team's zone not counted) is raised in the team
chat, and listed in every dispatcher digest until someone dispatches it.

One alarm per wait (`Contact.alarmed_this_wait`): the wait counts from the contact's waiting
clock, its entry or the last time a holder let it go (a hand-back, a reassignment). Offers
that lapse or are declined do not restart it, so the team chat is not alarmed twice about a
seeker dispatchers keep offering; one who comes back to dispatch after a holder let them go
is raised again if nobody takes them (the simulator found such seekers unheld for days,
named nowhere: their one alarm was spent, and the digests list ten)."""

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
    """Contacts to raise now: waited too long and not raised in this wait."""
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
#: At most this many contacts in one alarm together (the view names them all; more would
#: be a wall of numbers): a bigger burst gets one message per twenty.
NAMED = 20


@use_case
async def raise_alarm(uow: UnitOfWork, contact: Contact, hours: int, now: datetime,
                      compose: ComposeAlarm) -> bool:
    """This wait's alarm for this contact, if it still waits for dispatch; the mark and the
    message in one transaction (the dedupe key, one per wait, holds even against a second
    job run)."""
    if not await _mark(uow, contact, hours, now):
        return False
    text, markup = compose(await languages.of_team(uow), contact, hours)
    await notify.to_team(uow, text, now, reply_markup=markup, purpose=Purpose.ALARM,
                         dedupe_key=f"undispatched:{contact.id}:{_stamp(contact.waiting_since)}")
    await uow.commit()
    return True


@use_case
async def raise_together(uow: UnitOfWork, contacts: list[Contact], hours: int, now: datetime,
                         compose: ComposeAlarms) -> int:
    """Many due at once (a burst of arrivals left waiting): each marked, one message per
    `NAMED` of them, so the team chat is not flooded and every one raised is named.
    Returns how many were raised."""
    raised = [c for c in contacts if await _mark(uow, c, hours, now)]
    locale = await languages.of_team(uow) if raised else ""
    for start in range(0, len(raised), NAMED):
        named = raised[start:start + NAMED]
        text, markup = compose(locale, named, hours)
        await notify.to_team(uow, text, now, reply_markup=markup, purpose=Purpose.ALARM,
                             dedupe_key=f"undispatched:{named[0].id}+{len(named)}:{_stamp(now)}")
    await uow.commit()
    return len(raised)


def _stamp(at: datetime) -> int:
    """A moment in a de-duplication key (whole seconds, no colons: the key's separator)."""
    return int(at.timestamp())


async def _mark(uow: UnitOfWork, contact: Contact, hours: int, now: datetime) -> bool:
    """This wait's alarm, recorded if the contact still waits as it was read (the same
    wait, not raised yet: a stale read neither raises it twice nor spends a later wait's)."""
    current = await uow.contacts.get(contact.id)
    if current is None or current.alarmed_this_wait or current.waiting_since != contact.waiting_since:
        return False
    if not await uow.contacts.transition(contact.id, [contact.status], contact.status,
                                         undispatched_alarm_at=now):
        return False
    await uow.audit.record(now, None, "contact", contact.id, "undispatched_alarm", None,
                           str(hours))
    return True
