"""Supply vs demand: where seekers wait and who could take them, per area and per language."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.contacts import Contact, ContactDetails, Status
from domain.matching import Candidate, MatchPolicy, exclusion

#: Contacts still waiting for a multiplier.
WAITING = frozenset({Status.NEW, Status.OFFERED, Status.ON_HOLD})
RECENT = timedelta(days=30)
IDLE_AFTER = timedelta(days=14)
ANYONE = ContactDetails(name="")  # a seeker of no particular gender or language
UNKNOWN = ""  # the row for contacts with no (mapped) area or no language


@dataclass
class SupplyRow:
    key: str  # area key or language code; UNKNOWN for "not given / not mapped"
    waiting: int = 0
    new_recent: int = 0
    multipliers: int = 0  # available now, with room, serving this area / speaking this language
    free_capacity: int = 0

    @property
    def shortfall(self) -> int:
        """Seekers waiting beyond what the available multipliers can still take."""
        return max(0, self.waiting - self.free_capacity)


@dataclass(frozen=True)
class SupplyReport:
    by_area: list[SupplyRow]
    by_language: list[SupplyRow]
    idle: list[Candidate]  # available with room, holding nobody, no offer for two weeks
    unserved: list[Contact] = field(default_factory=list)

    @property
    def needs_workers(self) -> list[SupplyRow]:
        return sorted((r for r in self.by_area if r.key and r.shortfall),
                      key=lambda r: (-r.shortfall, r.key))


def supply_report(contacts: list[Contact], candidates: list[Candidate], now: datetime,
                  policy: MatchPolicy, is_unserved: Callable[[Contact], bool]) -> SupplyReport:
    areas: dict[str, SupplyRow] = defaultdict(lambda: SupplyRow(""))
    languages: dict[str, SupplyRow] = defaultdict(lambda: SupplyRow(""))
    for contact in contacts:
        for rows, key in ((areas, contact.area_key or UNKNOWN),
                          (languages, contact.details.language or UNKNOWN)):
            row = rows[key]
            row.waiting += contact.status in WAITING
            row.new_recent += contact.created_at >= now - RECENT
    available = [c for c in candidates if _has_room(c, now, policy)]
    for c in available:
        free = c.member.profile.capacity - c.load
        for key, rows in [(a, areas) for a in c.member.profile.areas] + \
                         [(lang, languages) for lang in c.member.profile.languages]:
            rows[key].multipliers += 1
            rows[key].free_capacity += free
    idle = [c for c in available if c.load == 0 and (
        c.track.last_offer_at is None or c.track.last_offer_at <= now - IDLE_AFTER)]
    unserved = [c for c in contacts if c.status in WAITING and is_unserved(c)]
    return SupplyReport(_rows(areas), _rows(languages), idle, unserved)


def _has_room(candidate: Candidate, now: datetime, policy: MatchPolicy) -> bool:
    """Available and not full: the rules that do not depend on the seeker."""
    return exclusion(ANYONE, candidate, now, policy) is None


def _rows(rows: dict[str, SupplyRow]) -> list[SupplyRow]:
    for key, row in rows.items():
        row.key = key
    return sorted(rows.values(), key=lambda r: (r.key == UNKNOWN, -r.shortfall, r.key))
