"""`/contacts`: the contacts a filter selects, a page at a time (domain.contact_filters).

Typed words are read once, into a filter whose short code the paging buttons carry; a press
reads the code again (never trusted: a code encode() cannot have made is refused, a page
past the end is the last page)."""

from dataclasses import dataclass

from domain.areas import AreaMap
from domain.bursts import Batch
from domain.contact_filters import (
    PAGE_SIZE,
    ContactFilter,
    area_of_tag,
    clamp_page,
    decode,
    encode,
    pages,
    parse_words,
    resolve,
)
from domain.contacts import Contact
from domain.errors import NoLongerAvailable
from domain.members import Member
from domain.roles import DISPATCH_ROLES
from services.access import found, require
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Listing:
    filter: ContactFilter
    code: str  # the filter as the paging buttons carry it
    contacts: list[Contact]
    page: int
    pages: int
    total: int
    names: dict[int, str]  # member id -> name: multipliers holding the contacts
    areas: AreaMap
    batch: Batch | None = None  # when listing the contacts of one arrival batch


@use_case
async def search(uow: UnitOfWork, actor: Member | None, words: str) -> Listing:
    """The first page of what the typed words select."""
    require(actor, *DISPATCH_ROLES)
    members = await uow.members.list_all()
    areas = await uow.areas.map()
    flt = resolve(parse_words(words), [m for m in members if m.is_multiplier], areas)
    return await _page(uow, flt, 0, members, areas)


@use_case
async def page(uow: UnitOfWork, actor: Member | None, code: str, number: int) -> Listing:
    """A page of the filter a button carried."""
    require(actor, *DISPATCH_ROLES)
    decoded = decode(code)
    areas = await uow.areas.map()
    flt = decoded.filter
    if decoded.area_tag is not None:
        key = area_of_tag(decoded.area_tag, areas)
        if key is None:
            raise NoLongerAvailable("area")  # removed from the list since
        flt = ContactFilter(flt.stages, flt.multiplier_id, key, flt.overdue, flt.source,
                            flt.batch_id)
    if flt.batch_id is not None:
        found(await uow.contacts.batch(flt.batch_id), "batch")
    return await _page(uow, flt, number, await uow.members.list_all(), areas)


@use_case
async def batch_list(uow: UnitOfWork, actor: Member | None, batch_id: int) -> Listing:
    """The first page of the contacts that arrived together in one batch (a burst)."""
    require(actor, *DISPATCH_ROLES)
    found(await uow.contacts.batch(batch_id), "batch")
    return await _page(uow, ContactFilter(batch_id=batch_id), 0, await uow.members.list_all(),
                       await uow.areas.map())


async def _page(uow: UnitOfWork, flt: ContactFilter, number: int, members: list[Member],
                areas: AreaMap) -> Listing:
    contacts, total = await uow.contacts.listing(flt, number * PAGE_SIZE, PAGE_SIZE)
    if clamp_page(number, total) != number:  # the list shrank since the button was drawn
        number = clamp_page(number, total)
        contacts, total = await uow.contacts.listing(flt, number * PAGE_SIZE, PAGE_SIZE)
    batch = await uow.contacts.batch(flt.batch_id) if flt.batch_id is not None else None
    await uow.commit()
    return Listing(flt, encode(flt), contacts, number, pages(total), total,
                   {m.id: m.name for m in members}, areas, batch)
