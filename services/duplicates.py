"""Finding duplicates of a contact and recording suspects; dismissing a suspect."""

from datetime import datetime

from domain.contacts import Contact, ContactDetails
from domain.duplicates import (
    DISMISSED,
    MAX_SUSPECTS,
    PENDING,
    Match,
    Strength,
    Suspect,
    areas_like,
    best_per_contact,
    detect,
)
from domain.errors import NoLongerAvailable, NotFound
from domain.identity import KEYS_VERSION, identifiers, keys_for
from domain.members import Member
from domain.roles import DISPATCH_ROLES
from domain.settings import DUPLICATE_KEYS
from services.access import found, require
from services.card_queue import changed, show
from services.cards import CardView
from services.ports import UnitOfWork
from services.transaction import use_case


async def hold_identifiers(uow: UnitOfWork, details: ContactDetails) -> None:
    """Two arrivals of one person at the same instant (the web form and an operator's /new)
    take turns from here to their commit, so the second finds the first and is attached to
    it as a touch instead of becoming a second contact nobody flags."""
    keys = keys_for(details.name, details.phone, details.email, details.tg_username,
                    details.tg_user_id, details.area)
    await uow.contacts.lock_identifiers(identifiers(keys))


async def matches_for(uow: UnitOfWork, details: ContactDetails,
                      exclude: int | None = None) -> list[Match]:
    """Best match per stored seeker (a merged-away record counts as its keeper)."""
    keys = keys_for(details.name, details.phone, details.email, details.tg_username,
                    details.tg_user_id, details.area)
    # Areas one typo away are looked up too: among those with the same first letter (a bounded
    # number of index probes; a typo in an area's very first letter is not tolerated).
    areas = areas_like(keys.area, await uow.contacts.known_areas(keys.area[:1])) \
        if keys.name_blocks and keys.area else []
    matches = detect(keys, await uow.contacts.candidates(keys, areas), exclude=exclude)
    return best_per_contact([m for m in matches if m.contact_id != exclude])


async def record_suspects(uow: UnitOfWork, contact_id: int, matches: list[Match],
                          now: datetime) -> list[Match]:
    """The best matches become pending suspects on the card (once per pair), skipping contacts
    that already carry MAX_SUSPECTS; returns the new ones."""
    ranked = sorted(matches, key=lambda m: (-m.score, m.contact_id))
    pending = await uow.duplicates.pending_counts([contact_id, *(m.contact_id for m in ranked)])
    room, new = MAX_SUSPECTS - pending.get(contact_id, 0), []
    for match in ranked:
        if len(new) >= room:
            break
        if pending.get(match.contact_id, 0) < MAX_SUSPECTS and \
                await uow.duplicates.suspect(contact_id, match, now):
            new.append(match)
    await uow.contacts.set_fields(contact_id, dup_checked_at=now)
    return new


@use_case
async def unchecked(uow: UnitOfWork, limit: int) -> list[Contact]:
    """Contacts intake never checked for duplicates, oldest first."""
    found = await uow.contacts.unchecked(limit)
    await uow.commit()
    return found


@use_case
async def rekey(uow: UnitOfWork, limit: int) -> bool:
    """One step of bringing stored key columns up to domain.identity.KEYS_VERSION (the periodic
    job calls it each run; a cursor in the settings says how far it got). True once every row
    is done."""
    state = await uow.settings.get(DUPLICATE_KEYS) or "1:0"
    version, _, cursor = state.partition(":")
    if version == str(KEYS_VERSION) and cursor == "done":
        return True
    after = int(cursor) if version == str(KEYS_VERSION) and cursor.isdigit() else 0
    last = await uow.contacts.rekey(after, limit)
    await uow.settings.set(DUPLICATE_KEYS, f"{KEYS_VERSION}:{'done' if last is None else last}")
    await uow.commit()
    return last is None


@use_case
async def recheck(uow: UnitOfWork, contact: Contact, now: datetime) -> list[Match]:
    """The periodic job's check of one contact intake did not see (its own transaction).

    Exact matches found here are already two records, so they become suspects too (scored
    100): merging is the dispatcher's call, never silent."""
    if contact.merged_into is not None:
        await uow.contacts.set_fields(contact.id, dup_checked_at=now)
        await uow.commit()
        return []
    matches = [m for m in await matches_for(uow, contact.details, exclude=contact.id)
               if m.strength in (Strength.EXACT, Strength.SUSPECT)]
    new = await record_suspects(uow, contact.id, matches, now)
    for contact_id in [contact.id, *(m.contact_id for m in new)] if new else []:
        await show(uow, contact_id, now)  # both cards show the possible duplicate
    await uow.commit()
    return new


@use_case
async def dismiss(uow: UnitOfWork, actor: Member | None, suspect_id: int, contact_id: int,
                  now: datetime) -> CardView:
    """'Not a duplicate': the pair is never suggested again."""
    actor = require(actor, *DISPATCH_ROLES)
    suspect = await pending_suspect(uow, suspect_id, contact_id)
    if not await uow.duplicates.decide(suspect_id, DISMISSED, actor.id, now):
        raise NoLongerAvailable("decided")
    await uow.audit.record(now, actor.id, "contact", contact_id, "not_duplicate", None,
                           {"other": suspect.other_id if suspect.contact_id == contact_id
                            else suspect.contact_id})
    view = await changed(uow, contact_id, now)
    await uow.commit()
    return view


@use_case
async def pending(uow: UnitOfWork, actor: Member | None) -> list[tuple[Suspect, Contact, Contact]]:
    """/duplicates: each pending pair with both records (newer first)."""
    require(actor, *DISPATCH_ROLES)
    out = []
    for suspect in await uow.duplicates.pending():
        new, old = await uow.contacts.get(suspect.contact_id), await uow.contacts.get(suspect.other_id)
        if new and old:
            out.append((suspect, new, old))
    await uow.commit()
    return out


async def pending_suspect(uow: UnitOfWork, suspect_id: int, contact_id: int) -> Suspect:
    """The suspect must concern the card it was pressed on (buttons are never trusted)."""
    suspect = found(await uow.duplicates.get(suspect_id), "suspect")
    if contact_id not in (suspect.contact_id, suspect.other_id):
        raise NotFound("suspect")
    if suspect.status != PENDING:
        raise NoLongerAvailable("decided")
    return suspect
