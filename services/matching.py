"""The team's matching policy, and the full explanation behind a card's suggestions."""

from dataclasses import dataclass
from datetime import datetime

from domain.areas import AreaMap
from domain.contacts import Contact
from domain.errors import NoLongerAvailable
from domain.match_settings import apply_setting
from domain.matching import MatchPolicy, Place, Verdict, explain
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from services.access import found, require
from services.cards import asked, history
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Explanation:
    contact: Contact
    verdicts: list[Verdict]
    areas: AreaMap


@use_case
async def policy(uow: UnitOfWork, actor: Member | None) -> MatchPolicy:
    require(actor, Role.ADMIN, *DISPATCH_ROLES)
    current = await uow.settings.match_policy()
    await uow.commit()
    return current


@use_case
async def change_policy(uow: UnitOfWork, actor: Member | None, name: str, value: str,
                        now: datetime) -> MatchPolicy:
    actor = require(actor, Role.ADMIN)
    before = await uow.settings.match_policy()
    after = apply_setting(before, name, value)
    if not await uow.settings.save_match_policy(after, before):
        raise NoLongerAvailable("policy changed meanwhile")
    await uow.audit.record(now, actor.id, "settings", 0, "matching", name, value)
    await uow.commit()
    return after


@use_case
async def explain_contact(uow: UnitOfWork, actor: Member | None, contact_id: int,
                          now: datetime) -> Explanation:
    """Every multiplier, eligible or not, and why: the dispatcher's "why not Anna?"."""
    require(actor, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    areas, current = await uow.areas.map(), await uow.settings.match_policy()
    candidates = await uow.members.multiplier_candidates(now)
    offers = await uow.offers.for_contact(contact_id)
    verdicts = explain(contact.details, Place(contact.area_key, areas), candidates, now, current,
                       exclude=asked(offers), **history(offers))
    await uow.commit()
    return Explanation(contact, verdicts, areas)
