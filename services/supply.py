"""Supply vs demand for dispatchers, vision leaders and marketers."""

from datetime import datetime

from domain.matching import Place, Pool
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from domain.supply import RECENT, WAITING, SupplyReport, supply_report
from services.access import require
from services.ports import UnitOfWork
from services.transaction import use_case


@use_case
async def report(uow: UnitOfWork, actor: Member | None, now: datetime) -> tuple[SupplyReport, dict[str, str]]:
    """The report, and the display name of every area key it mentions."""
    require(actor, Role.ADMIN, *DISPATCH_ROLES)
    return await team_supply(uow, now)


@use_case
async def team_supply(uow: UnitOfWork, now: datetime) -> tuple[SupplyReport, dict[str, str]]:
    """The same for the scheduler's weekly report (no actor)."""
    areas, policy = await uow.areas.map(), await uow.settings.match_policy()
    contacts = await uow.contacts.for_supply(WAITING, now - RECENT)
    candidates = await uow.members.multiplier_candidates(now)
    pool = Pool(candidates, policy)

    def unserved(contact) -> bool:  # type: ignore[no-untyped-def]
        if contact.area_key is None:
            return False  # no place given, or not mapped yet: the card flags that instead
        return not pool.serves(contact.details, Place(contact.area_key, areas), now)

    result = supply_report(contacts, candidates, now, policy, unserved)
    await uow.commit()
    names = {key: areas.name(key) for key in areas.areas}
    return result, names
