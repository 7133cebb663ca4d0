"""The team's areas and which of them are neighbours."""

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.areas import Area, AreaMap
from storage.models import AreaLinkRow, AreaRow
from storage.team_stamp import kept, wrote


class AreaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def map(self) -> AreaMap:
        return await kept(self.session, "areas", self._read_map)

    async def _read_map(self) -> AreaMap:
        areas = {
            row.key: Area(row.key, row.name, row.city, row.lat, row.lon,
                          frozenset(a for a in row.aliases.split(",") if a))
            for row in await self.session.scalars(select(AreaRow))
        }
        links = frozenset(
            frozenset((row.a, row.b)) for row in await self.session.scalars(select(AreaLinkRow))
        )
        return AreaMap(areas, links)

    async def save(self, area: Area) -> None:
        wrote(self.session)
        values = {"name": area.name, "city": area.city, "lat": area.lat, "lon": area.lon,
                  "aliases": ",".join(sorted(area.aliases))}
        row = await self.session.get(AreaRow, area.key)
        if row is None:
            self.session.add(AreaRow(key=area.key, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        await self.session.flush()

    async def remove(self, key: str) -> None:
        wrote(self.session)
        await self.session.execute(
            delete(AreaLinkRow).where(or_(AreaLinkRow.a == key, AreaLinkRow.b == key)))
        await self.session.execute(delete(AreaRow).where(AreaRow.key == key))

    async def link(self, a: str, b: str) -> bool:
        """False when they were neighbours already."""
        wrote(self.session)
        first, second = sorted((a, b))
        if await self.session.get(AreaLinkRow, (first, second)):
            return False
        self.session.add(AreaLinkRow(a=first, b=second))
        await self.session.flush()
        return True

    async def unlink(self, a: str, b: str) -> bool:
        wrote(self.session)
        first, second = sorted((a, b))
        result = await self.session.execute(
            delete(AreaLinkRow).where(AreaLinkRow.a == first, AreaLinkRow.b == second))
        return bool(result.rowcount)
