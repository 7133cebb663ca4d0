"""A new contact enters dispatch, unless it is someone we already have.

Every intake source calls create_contact. An exact identifier match (same e-mail, Telegram
account or username, or phone under a compatible name) never makes a second contact: the
arrival is attached to the stored one as a touch, and the team (and its multiplier) are told.
Fuzzy matches create the contact and put "possible duplicate of #id" on its card.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

from domain.contacts import Contact, ContactDetails
from domain.delivery import Purpose
from domain.duplicates import Match, exact_match
from domain.effects import Effect
from domain.errors import InvalidInput
from domain.intake import clean_details
from domain.members import Member
from domain.roles import INTAKE_ROLES
from domain.seeker_privacy import hears_seeker
from services import card_queue, notify
from services.access import found, require
from services.areas import sure_area
from services.card_queue import show
from services.duplicates import hold_identifiers, matches_for, record_suspects
from services.ports import UnitOfWork
from services.transaction import use_case

#: Renders "this seeker came again" for (locale, the stored contact, the match, who reads it:
#: "team" or "assignee"). Handlers pass texts.touch_notice; None sends no notice.
ComposeTouch = Callable[[str, Contact, Match, str], str]
#: Contact methods a touch may add to the stored contact where it has none.
_METHODS = ("phone", "email", "tg_username", "tg_user_id")


@dataclass(frozen=True)
class IntakeResult:
    """No card: none of intake's callers shows one (the team card is drawn when the outbox
    sends it), and ranking the team for it was most of an import row's or a POST's cost."""

    contact: Contact  # the new contact, or the stored one the arrival was attached to
    created: bool  # False: the arrival was attached to an existing contact as a touch
    match: Match | None = None  # the exact match it was attached by
    suspects: list[Match] = field(default_factory=list)  # fuzzy candidates on the new card


@use_case
async def create_contact(
    uow: UnitOfWork, actor: Member | None, details: ContactDetails, now: datetime,
    *, compose_touch: ComposeTouch | None = None, quiet: notify.Quiet | None = None,
    ping: bool = True, arrival: card_queue.Arrival | None = None,
) -> IntakeResult:
    """Save a new contact, or attach a known seeker's arrival to their contact. Either way
    the team card (new or redrawn) and the pings are queued in the same transaction, and
    auto-dispatch is nudged after the commit. `ping`: tell real-time dispatchers about this
    contact (an import tells them once for the whole file instead). `arrival`: the contact
    came as data (an import, the API) and counts into its source's batch; in a burst its
    card is held back and nobody is pinged for it (services.card_queue)."""
    result = await admit(uow, actor, details, now, compose_touch=compose_touch, quiet=quiet,
                         ping=ping, arrival=arrival)
    await uow.commit()
    return result


async def admit(
    uow: UnitOfWork, actor: Member | None, details: ContactDetails, now: datetime,
    *, compose_touch: ComposeTouch | None = None, quiet: notify.Quiet | None = None,
    ping: bool = True, arrival: card_queue.Arrival | None = None,
) -> IntakeResult:
    """create_contact's work, not committed: an import commits many rows at once, each in
    its own savepoint (services.importing)."""
    actor = require(actor, *INTAKE_ROLES)
    details = clean_details(details)
    if not (details.phone or details.tg_username or details.email or details.tg_user_id):
        raise InvalidInput("reach")
    await hold_identifiers(uow, details)
    matches = await matches_for(uow, details)
    exact = exact_match(matches)
    if exact is not None:
        return await _attach(uow, actor, details, exact, now, compose_touch, quiet)
    if arrival is not None:
        arrival = await card_queue.in_window(uow, arrival, now)
    born_held = card_queue.born_with(arrival)
    contact = await uow.contacts.add(details, actor.id, now, dup_checked_at=now,
                                     **await dispatch_fields(uow, details.area), **born_held)
    await uow.audit.record(now, actor.id, "contact", contact.id, "create", None, asdict(details))
    held = arrival is not None and await card_queue.arrived(uow, contact.id, arrival, now)
    suspects = await record_suspects(uow, contact.id, matches, now) if matches else []
    if not held:
        await show(uow, contact.id, now)
    for match in suspects:  # their cards show the new possible duplicate too
        await show(uow, match.contact_id, now)
    if ping and not held:
        await notify.to_realtime_dispatchers(uow, "", now, quiet or notify.NO_QUIET,
                                             purpose=Purpose.NEW_CONTACT, ref_id=contact.id)
    uow.effects.add(Effect.AUTODISPATCH)
    if held and not born_held:  # the window's batch became a burst: it was held
        contact = found(await uow.contacts.get(contact.id), "contact")
    return IntakeResult(contact, created=True, suspects=suspects)


async def _attach(uow: UnitOfWork, actor: Member, details: ContactDetails, match: Match,
                  now: datetime, compose: ComposeTouch | None,
                  quiet: notify.Quiet | None) -> IntakeResult:
    stored = await uow.contacts.get(match.contact_id)
    for _ in range(10):  # a keeper may itself have been merged into an older record since
        if stored is None or stored.merged_into is None:
            break
        stored = await uow.contacts.get(stored.merged_into)
    assert stored is not None
    await uow.duplicates.add_touch(stored.id, now, actor.id, details.source, match.reasons,
                                   asdict(details))
    added = {m: getattr(details, m) for m in _METHODS
             if getattr(details, m) and not getattr(stored.details, m)}
    if added:
        await uow.contacts.set_details(stored.id, replace(stored.details, **added))
    await uow.audit.record(now, actor.id, "contact", stored.id, "touch", None,
                           {"reasons": [r.value for r in match.reasons], "added": added,
                            "source": details.source})
    if compose is not None:
        await notify.to_team(uow, lambda locale: compose(locale, stored, match, "team"), now)
        holder = await uow.members.get(stored.assignee_id) if stored.assignee_id else None
        if holder is not None and hears_seeker(stored, holder):
            await notify.to_member(uow, holder,
                                   lambda locale: compose(locale, stored, match, "assignee"), now,
                                   quiet or notify.NO_QUIET)
    await show(uow, stored.id, now)
    stored = found(await uow.contacts.get(stored.id), "contact")
    return IntakeResult(stored, created=False, match=match)


async def dispatch_fields(uow: UnitOfWork, place: str) -> dict[str, object]:
    """Where a new contact starts: at the known area its typed place surely means, and in
    auto-dispatch's hands when the team turned it on."""
    fields: dict[str, object] = {}
    if key := await sure_area(uow, place):
        fields["area_key"] = key
    if (await uow.settings.match_policy()).auto_dispatch:
        fields["auto_dispatch"] = True
    return fields
