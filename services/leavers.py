"""A member leaves the team (deactivated) or stops being a multiplier: the seekers they held
go back to the dispatchers at once, with a note on each card, their pending offers are
withdrawn, and the team chat reads one summary. Nothing waits for a reminder to notice."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.contacts import ASSIGNED_STATUSES, Status
from domain.delivery import Purpose
from domain.members import Member
from domain.offers import Release
from services import languages, notify, pool
from services.card_queue import show
from services.dispatch import take_back
from services.ports import UnitOfWork
from services.release import back_to_dispatch, let_go


@dataclass(frozen=True)
class Departure:
    name: str
    left_team: bool  # deactivated; else only the multiplier role was taken away
    contacts: tuple[int, ...]  # back with the dispatchers
    offers: tuple[int, ...]  # contacts whose pending offer to them was withdrawn


#: The note on each returned contact's card, in the team's locale:
#: (locale, the member's name, left the team?, the stage the contact was at) -> text.
ComposeLeftNote = Callable[[str, str, bool, Status], str]
#: The team chat's one message: (locale, departure) -> text.
ComposeDeparture = Callable[[str, Departure], str]


@dataclass(frozen=True)
class LeaverWords:
    note: ComposeLeftNote
    summary: ComposeDeparture


async def hand_over(uow: UnitOfWork, actor_id: int, member: Member, left_team: bool,
                    now: datetime, words: LeaverWords) -> Departure:
    """In the caller's transaction (the deactivation or role change), not committed."""
    team_locale = await languages.of_team(uow)
    returned = []
    for contact in await uow.contacts.assigned_to(member.id, ASSIGNED_STATUSES):
        note = words.note(team_locale, member.name, left_team, contact.status)
        if await let_go(uow, actor_id, contact, Release.LEFT, "leaver", now,
                        **back_to_dispatch(now, note)):
            await show(uow, contact.id, now)
            returned.append(contact.id)
    withdrawn = []
    for offer in await uow.offers.pending(member.id):
        await take_back(uow, actor_id, offer, now, "leaver")
        withdrawn.append(offer.contact_id)
    await pool.leave(uow, member.id, now, actor_id)
    departure = Departure(member.name, left_team, tuple(returned), tuple(withdrawn))
    if returned or withdrawn:
        await notify.to_team(uow, lambda locale: words.summary(locale, departure), now,
                             purpose=Purpose.ALARM)
    return departure
