"""An import's rows matched in one pass: against the stored contacts read once for the whole
chunk, and against the rows before them in the same chunk.

One row at a time, intake reads each row's candidates (a query) and stores the row before the
next one is checked. Here the chunk's candidates are read once and narrowed per row to what
that row's own read would find (duplicates.is_candidate); each row sees the rows before it as
stored contacts, under provisional ids until they are stored. A pass stops at the first row
one-by-one intake must handle: an exact match (the arrival is attached to a stored contact),
or so many candidates that a row's own read would have been cut at its limit (what it sees
then depends on the cut). The importer then tells the matcher what that row changed
(`refresh`) and starts the next pass after it."""

from collections.abc import Collection
from dataclasses import dataclass

from domain.duplicates import (
    Match,
    Stored,
    areas_like,
    best_per_contact,
    detect,
    exact_match,
    is_candidate,
)
from domain.identity import IdentityKeys

#: Ids of a pass's rows until they are stored: above every stored id and in row order, as
#: the ids they are stored under will be (matches of equal score are ordered by id).
PROVISIONAL = 1 << 62
#: A stored contact can come back from a row's read up to three times (by an identifier and
#: by each of its two name blocks).
_COPIES = 3


@dataclass(frozen=True)
class NewRow:
    """A row that becomes a new contact; `matches` name rows of its pass by provisional id."""

    keys: IdentityKeys
    matches: list[Match]


class ChunkMatcher:
    """`stored`: every stored candidate of any row of the chunk (read with its name blocks);
    `known_areas`: the stored areas; `read_limit`: how many rows one row's own read returns."""

    def __init__(self, stored: list[Stored], known_areas: Collection[str], read_limit: int) -> None:
        self.index = _Index(stored)
        self.known = set(known_areas)
        self.read_limit = read_limit
        self.taken: list[NewRow] = []

    def leading(self, rows: list[IdentityKeys]) -> list[NewRow]:
        """The leading rows that become new contacts, each with the matches one-by-one intake
        would find for it. `stored_as` must follow before the next pass."""
        self.taken = []
        for keys in rows:
            places = _places(keys, self.known, self.taken)
            pool = self.index.candidates(keys, places, -(-self.read_limit // _COPIES))
            if _COPIES * len(pool) >= self.read_limit:
                break
            matches = best_per_contact(detect(keys, pool))
            if exact_match(matches) is not None:
                break
            self.index.add(Stored(PROVISIONAL + len(self.taken), keys))
            self.taken.append(NewRow(keys, matches))
        return self.taken

    def stored_as(self, ids: list[int]) -> None:
        """The pass's rows were stored under `ids` (in row order)."""
        for i, (row, contact_id) in enumerate(zip(self.taken, ids, strict=True)):
            self.index.refresh(Stored(contact_id, row.keys, contact_id), PROVISIONAL + i)
            self.known.add(row.keys.area)
        self.taken = []

    def refresh(self, row: int, stored: Stored | None) -> None:
        """A row stored or changed since the read (one-by-one intake stored a new contact,
        or gave a stored one a phone or an e-mail): as it is now, None if no longer live."""
        self.index.refresh(stored, row)
        if stored is not None:
            self.known.add(stored.keys.area)


def _places(keys: IdentityKeys, known_areas: Collection[str], taken: list[NewRow]) -> list[str]:
    """Where a row's name blocks are looked up (services.duplicates.matches_for): its area and
    those it may mean among the known ones with the same first letter, the pass's own included."""
    if not (keys.name_blocks and keys.area):
        return []
    first = keys.area[:1]
    known = {a for a in known_areas if a.startswith(first)}
    known |= {row.keys.area for row in taken if row.keys.area.startswith(first)}
    return areas_like(keys.area, sorted(known))


def chunk_blocks(rows: list[IdentityKeys], known_areas: Collection[str]) -> list[tuple[str, str]]:
    """Every (area, name block) any row's read may look up, whatever the rows before it: what
    the chunk's candidates are read by, besides the rows' identifiers."""
    everything = [NewRow(keys, []) for keys in rows]
    return sorted({(place, block) for keys in rows
                   for place in _places(keys, known_areas, everything)
                   for block in keys.name_blocks})


class _Index:
    """The candidates by each value a row's read looks them up by, so that a row meets only
    its own (is_candidate still decides): a chunk's read holds thousands."""

    def __init__(self, stored: list[Stored]) -> None:
        self.stored: list[Stored | None] = []
        self.by: dict[tuple[str, object], list[int]] = {}
        self.rows: dict[int, int] = {}  # a stored row (or a provisional id): where it is
        for s in stored:
            self.add(s)

    def add(self, stored: Stored) -> None:
        at = len(self.stored)
        self.stored.append(stored)
        self.rows[stored.row if stored.row is not None else stored.id] = at
        for key in self._lookups(stored.keys):
            self.by.setdefault(key, []).append(at)

    def refresh(self, stored: Stored | None, row: int) -> None:
        """`row` is now `stored` (None: gone)."""
        if (at := self.rows.pop(row, None)) is not None:
            self.stored[at] = None
        if stored is not None:
            self.add(stored)

    def candidates(self, keys: IdentityKeys, places: list[str], most: int) -> list[Stored]:
        """A row's candidates, in the order they were read; no more than `most` (a crowded
        row is told as soon as it is one: it may have thousands)."""
        found = {at for key in self._lookups(keys) for at in self.by.get(key, ())}
        out: list[tuple[int, Stored]] = []
        for at in found:
            if (s := self.stored[at]) is not None and is_candidate(keys, places, s.keys):
                out.append((at, s))
                if len(out) >= most:
                    break
        return [s for _, s in sorted(out, key=lambda pair: pair[0])]

    @staticmethod
    def _lookups(keys: IdentityKeys) -> list[tuple[str, object]]:
        found: list[tuple[str, object]] = [("block", block) for block in keys.name_blocks]
        if keys.phone:
            found.append(("phone", keys.phone))
        if keys.email:
            found.append(("email", keys.email))
        if keys.tg_username:
            found.append(("tg_username", keys.tg_username))
        if keys.tg_user_id:
            found.append(("tg_user_id", keys.tg_user_id))
        if keys.phone_suffix:
            found.append(("phone_suffix", keys.phone_suffix))
        return found
