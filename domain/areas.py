"""Areas the team works in, how close two of them are, and which one a free-text place means.

An area's key is the folded name (see domain.translit): profiles and contacts store keys, so a
rename of the display name never breaks a match."""

import hashlib
import math
from dataclasses import dataclass, field
from enum import IntEnum

from rapidfuzz import fuzz, process

from domain.translit import fold

#: A fuzzy match at or above this maps a place without asking; below, down to GUESS_SCORE,
#: the dispatcher is offered the guesses.
SURE_SCORE = 88.0
GUESS_SCORE = 60.0
MAX_AREA_NAME = 100


def area_key(name: str) -> str:
    return fold(name)[:MAX_AREA_NAME]


def key_tag(key: str) -> str:
    """A short, stable stand-in for an area key where space is tight (a button's data)."""
    return hashlib.blake2s(key.encode(), digest_size=5).hexdigest()


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    city: str = ""
    lat: float | None = None
    lon: float | None = None
    aliases: frozenset[str] = frozenset()  # folded alternative spellings

    @property
    def label(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


class Closeness(IntEnum):
    """How well a multiplier's areas cover a place, best first."""

    SAME = 0
    NEIGHBOUR = 1
    WITHIN_TRAVEL = 2
    FAR = 3
    UNKNOWN = 4


@dataclass(frozen=True)
class Resolution:
    key: str | None  # the known area the text means, if sure
    guesses: tuple[str, ...] = ()  # keys to offer the dispatcher when not sure


@dataclass(frozen=True)
class AreaMap:
    areas: dict[str, Area] = field(default_factory=dict)
    links: frozenset[frozenset[str]] = frozenset()  # neighbouring pairs

    @property
    def configured(self) -> bool:
        return bool(self.areas)

    def name(self, key: str) -> str:
        area = self.areas.get(key)
        return area.name if area else key

    def neighbours(self, key: str) -> set[str]:
        return {other for pair in self.links if key in pair for other in pair if other != key}

    def distance_km(self, a: str, b: str) -> float | None:
        first, second = self.areas.get(a), self.areas.get(b)
        if not first or not second or None in (first.lat, first.lon, second.lat, second.lon):
            return None
        return haversine_km(first.lat, first.lon, second.lat, second.lon)  # type: ignore[arg-type]

    def resolve(self, text: str) -> Resolution:
        """Exact name or alias first, then a fuzzy match over every spelling we know."""
        wanted = area_key(text)
        if not wanted:
            return Resolution(None)
        if not self.areas:
            return Resolution(wanted)  # no list configured: places compare as typed, folded
        spellings = {key: key for key in self.areas}
        for area in self.areas.values():
            spellings.update({alias: area.key for alias in area.aliases})
        if wanted in spellings:
            return Resolution(spellings[wanted])
        found = process.extract(wanted, list(spellings), scorer=fuzz.WRatio, limit=8,
                                score_cutoff=GUESS_SCORE)
        best: dict[str, float] = {}
        for spelling, score, _ in found:
            best.setdefault(spellings[spelling], score)  # found is best first
        keys = list(best)
        scores = list(best.values())
        if scores and scores[0] >= SURE_SCORE and (len(scores) == 1 or scores[1] < scores[0]):
            return Resolution(keys[0])
        return Resolution(None, tuple(keys[:3]))

    def mentioned(self, text: str) -> str | None:
        """The one known area a seeker's free text names ("я из Оболони" -> Obolon), or None
        if none or several. Words are folded (any script) and compared with every spelling;
        a word may inflect the spelling's stem (its last letter replaced, up to two letters
        added: Оболонь -> Оболони, Оболоні, Оболонью), since seekers write sentences."""
        words = area_key(text).split()
        phrases = set(words) | {" ".join(p) for p in zip(words, words[1:], strict=False)}
        found = set()
        for area in self.areas.values():
            for spelling in {area.key, *area.aliases}:
                if any(_inflects(phrase, spelling) for phrase in phrases):
                    found.add(area.key)
        return found.pop() if len(found) == 1 else None


#: Spellings shorter than this must be written exactly: a stem of three letters matches too much.
MIN_STEM_SPELLING = 5


def _inflects(word: str, spelling: str) -> bool:
    if word == spelling:
        return True
    stem = spelling[:-1]
    return (len(spelling) >= MIN_STEM_SPELLING and word.startswith(stem)
            and len(word) - len(spelling) <= 2)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """'50.46, 30.52' -> (50.46, 30.52); anything else, or out of range, is None."""
    parts = text.replace(";", ",").split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
