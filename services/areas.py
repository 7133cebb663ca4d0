"""Admins keep the list of areas; dispatchers map a seeker's typed place to one of them."""

from datetime import datetime

from domain.areas import MAX_AREA_NAME, Area, AreaMap, area_key, key_tag, parse_coordinates
from domain.contacts import Status
from domain.errors import InvalidInput, NoLongerAvailable, UnknownPlaces
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from domain.translit import fold
from services.access import found, require
from services.card_queue import changed
from services.cards import CardView
from services.ports import UnitOfWork
from services.transaction import use_case

#: Contacts whose place is worth mapping again when the list changes.
OPEN = (Status.NEW, Status.OFFERED, Status.ON_HOLD)


@use_case
async def area_map(uow: UnitOfWork, actor: Member | None) -> AreaMap:
    require(actor, *Role)
    areas = await uow.areas.map()
    await uow.commit()
    return areas


@use_case
async def save_area(uow: UnitOfWork, actor: Member | None, text: str, now: datetime) -> tuple[Area, int]:
    """`Name | City | lat, lon | alias, alias`: all but the name optional. Returns the area and
    how many waiting contacts it mapped that nobody had mapped before."""
    actor = require(actor, Role.ADMIN)
    area = parse_area(text)
    await uow.areas.save(area)
    await uow.audit.record(now, actor.id, "area", 0, "save", None, area.key)
    mapped = await _map_waiting(uow, actor, now)
    await uow.commit()
    return area, mapped


@use_case
async def remove_area(uow: UnitOfWork, actor: Member | None, name: str, now: datetime) -> Area:
    actor = require(actor, Role.ADMIN)
    areas = await uow.areas.map()
    area = found(areas.areas.get(area_key(name)), "area")
    await uow.areas.remove(area.key)
    await uow.audit.record(now, actor.id, "area", 0, "remove", area.key, None)
    await uow.commit()
    return area


@use_case
async def set_neighbours(uow: UnitOfWork, actor: Member | None, first: str, second: str,
                         linked: bool, now: datetime) -> tuple[Area, Area]:
    actor = require(actor, Role.ADMIN)
    areas = await uow.areas.map()
    a, b = (found(areas.areas.get(area_key(name)), "area") for name in (first, second))
    if a.key == b.key:
        raise InvalidInput("same_area")
    changed = await (uow.areas.link if linked else uow.areas.unlink)(a.key, b.key)
    if changed:
        action = "link" if linked else "unlink"
        await uow.audit.record(now, actor.id, "area", 0, action, a.key, b.key)
    await uow.commit()
    return a, b


@use_case
async def map_contact(uow: UnitOfWork, actor: Member | None, contact_id: int, text: str | None,
                      guess: str | None, now: datetime) -> CardView:
    """By the typed name of a known area, or by the tag of one of the card's guesses (still a
    guess now: the list may have changed since the card was drawn)."""
    actor = require(actor, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    if contact.status not in OPEN:
        raise NoLongerAvailable("contact moved on")
    areas = await uow.areas.map()
    if guess is not None:
        guesses = areas.resolve(contact.details.area).guesses
        key = found(next((k for k in guesses if key_tag(k) == guess), None), "area")
    else:
        key = area_key(text or "")
        if key not in areas.areas:
            key = found(areas.resolve(text or "").key, "area")
    await uow.contacts.set_fields(contact_id, area_key=key)
    await uow.audit.record(now, actor.id, "contact", contact_id, "map_area", contact.area_key, key)
    view = await changed(uow, contact_id, now)
    await uow.commit()
    return view


@use_case
async def resolve_places(uow: UnitOfWork, text: str) -> frozenset[str]:
    """A multiplier's comma-separated areas as keys; any unknown one is refused by name."""
    areas = await uow.areas.map()
    keys, unknown = set(), []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key = areas.resolve(part).key
        if key is None:
            unknown.append(part)
        else:
            keys.add(key)
    if unknown:
        raise UnknownPlaces(unknown)
    return frozenset(keys)


async def sure_area(uow: UnitOfWork, place: str) -> str | None:
    """The known area a typed place means, when the match is sure."""
    return (await uow.areas.map()).resolve(place).key


async def _map_waiting(uow: UnitOfWork, actor: Member, now: datetime) -> int:
    areas, mapped = await uow.areas.map(), 0
    for contact in await uow.contacts.unmapped(OPEN):
        key = areas.resolve(contact.details.area).key
        if key:
            await uow.contacts.set_fields(contact.id, area_key=key)
            await uow.audit.record(now, actor.id, "contact", contact.id, "map_area", None, key)
            mapped += 1
    return mapped


def parse_area(text: str) -> Area:
    parts = [p.strip() for p in text.split("|")]
    name = " ".join(parts[0].split()) if parts else ""
    if not area_key(name) or len(name) > MAX_AREA_NAME:
        raise InvalidInput("area_name")
    city = parts[1] if len(parts) > 1 else ""
    coordinates = None
    if len(parts) > 2 and parts[2]:
        coordinates = parse_coordinates(parts[2])
        if coordinates is None:
            raise InvalidInput("coordinates")
    aliases = frozenset(fold(a)[:MAX_AREA_NAME] for a in parts[3].split(",")
                        if fold(a)) if len(parts) > 3 else frozenset()
    lat, lon = coordinates or (None, None)
    return Area(area_key(name), name, city[:MAX_AREA_NAME], lat, lon, aliases - {area_key(name)})
