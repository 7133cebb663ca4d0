"""`/contacts` filters: the words a dispatcher types, what they mean, and the short code a
paging button carries instead of them (a button's data holds 64 bytes).

`/contacts reached anna podil overdue source:csv`: a stage (or several), a multiplier's name,
an area, "overdue" (a reminder or an escalation unanswered) and a piece of the source. Words
that name no stage are looked up among the multipliers, then the areas."""

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil

from domain.areas import AreaMap, key_tag
from domain.contacts import ASSIGNED_STATUSES, Status
from domain.errors import InvalidInput
from domain.members import Member
from domain.numbers import DB_INT_MAX, parse_int

PAGE_SIZE = 10
#: Without a stage word: everything not closed or merged away.
OPEN = frozenset(Status) - {Status.CLOSED, Status.MERGED}
#: A source word is kept to this many bytes, and an area key this long or shorter travels
#: whole (longer ones as a tag), so that a paging button always fits its 64 bytes.
MAX_SOURCE_BYTES = 12
SOURCE_PREFIX = "source:"
OVERDUE = "overdue"

STAGE_WORDS: dict[str, frozenset[Status]] = {
    **{s.value: frozenset({s}) for s in Status},
    "waiting": frozenset({Status.NEW}),
    "hold": frozenset({Status.ON_HOLD}),
    "meeting": frozenset({Status.MEETING_SCHEDULED}),
    "scheduled": frozenset({Status.MEETING_SCHEDULED}),
    "unreachable": frozenset({Status.COULD_NOT_REACH}),
    "assigned": frozenset(ASSIGNED_STATUSES),
    "open": OPEN,
}
_STATUS_ORDER = list(Status)


class UnknownFilterWord(InvalidInput):
    """A word that is no stage, multiplier or area. `detail`: the word."""

    code = "unknown_filter"


class AmbiguousFilterWord(InvalidInput):
    """A name several multipliers answer to. `detail`: the word."""

    code = "ambiguous_filter"


@dataclass(frozen=True)
class FilterWords:
    """What was typed, before the names are looked up."""

    stages: frozenset[Status] = frozenset()
    overdue: bool = False
    source: str = ""
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactFilter:
    stages: frozenset[Status] = frozenset()  # empty: OPEN
    multiplier_id: int | None = None
    area_key: str | None = None
    overdue: bool = False
    source: str = ""  # a piece of the source, compared case-insensitively
    batch_id: int | None = None  # the contacts of one arrival batch (domain.bursts)

    @property
    def statuses(self) -> frozenset[Status]:
        return self.stages or OPEN


def _fold(word: str) -> str:
    return word.casefold().replace("-", "_")


def _short(text: str, limit: int = MAX_SOURCE_BYTES) -> str:
    """At most `limit` bytes of UTF-8, cut at a character boundary."""
    return text.encode()[:limit].decode(errors="ignore")


def parse_words(text: str) -> FilterWords:
    stages: set[Status] = set()
    overdue, source, names = False, "", []
    for word in text.split():
        folded = _fold(word)
        if folded.startswith(SOURCE_PREFIX):
            source = _short(word[len(SOURCE_PREFIX):].casefold())
        elif folded == OVERDUE:
            overdue = True
        elif folded in STAGE_WORDS:
            stages |= STAGE_WORDS[folded]
        else:
            names.append(word)
    return FilterWords(frozenset(stages), overdue, source, tuple(names))


def resolve(words: FilterWords, multipliers: Iterable[Member], areas: AreaMap) -> ContactFilter:
    """Each remaining word is a multiplier (full name, first name or @username) or else an
    area (its name or another spelling); anything else is refused by name."""
    multiplier_id, area_key = None, None
    for word in words.names:
        found = _multiplier(word, list(multipliers))
        if found is not None:
            multiplier_id = found
            continue
        key = areas.resolve(word).key
        if key is None:
            raise UnknownFilterWord(word)
        area_key = key
    return ContactFilter(words.stages, multiplier_id, area_key, words.overdue, words.source)


def _multiplier(word: str, members: list[Member]) -> int | None:
    wanted = word.casefold().lstrip("@")
    for matches in (
        [m for m in members if m.name.casefold() == wanted],
        [m for m in members if (m.username or "").casefold() == wanted],
        [m for m in members if m.name.split() and m.name.split()[0].casefold() == wanted],
    ):
        if len(matches) > 1:
            raise AmbiguousFilterWord(word)
        if matches:
            return matches[0].id
    return None


# ---------------------------------------------------------------------- the button's code


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def encode(flt: ContactFilter) -> str:
    """A short, colon-free code for a paging button: `s<stages bitmask hex>`, `m<member id>`,
    `k<area key, base64url>` or `a<area tag>`, `o`, `q<source, base64url>`, `b<batch id>`,
    joined by dots; "-" for no filter."""
    parts = []
    if flt.stages:
        parts.append("s%x" % sum(1 << _STATUS_ORDER.index(s) for s in flt.stages))
    if flt.multiplier_id is not None:
        parts.append(f"m{flt.multiplier_id}")
    if flt.area_key is not None:
        short = len(flt.area_key.encode()) <= MAX_SOURCE_BYTES
        parts.append("k" + _b64(flt.area_key) if short else "a" + key_tag(flt.area_key))
    if flt.overdue:
        parts.append("o")
    if flt.source:
        parts.append("q" + _b64(flt.source))
    if flt.batch_id is not None:
        parts.append(f"b{flt.batch_id}")
    return ".".join(parts) or "-"


@dataclass(frozen=True)
class Decoded:
    """A code read back. A long area key came as a tag: the use case finds it on the list."""

    filter: ContactFilter
    area_tag: str | None = None


def decode(code: str) -> Decoded:
    """The filter a button carried; InvalidInput for anything encode() cannot have made."""
    values: dict[str, object] = {}
    for part in code.split(".") if code != "-" else []:
        key, value = part[:1], part[1:]
        if not key or key in values or (key in "ak" and values.keys() & {"a", "k"}):
            raise InvalidInput("filter_code")
        values[key] = _decode_part(key, value)
    flt = ContactFilter(
        stages=values.get("s", frozenset()),  # type: ignore[arg-type]
        multiplier_id=values.get("m"),  # type: ignore[arg-type]
        area_key=values.get("k"),  # type: ignore[arg-type]
        overdue="o" in values,
        source=str(values.get("q", "")),
        batch_id=values.get("b"),  # type: ignore[arg-type]
    )
    return Decoded(flt, values.get("a"))  # type: ignore[arg-type]


def _decode_part(key: str, value: str) -> object:
    try:
        if key == "s":
            mask = int(value, 16)
            if not 0 < mask < 1 << len(_STATUS_ORDER):
                raise ValueError(value)
            return frozenset(s for i, s in enumerate(_STATUS_ORDER) if mask >> i & 1)
        if key in ("m", "b"):
            return parse_int(value, 0, DB_INT_MAX, "filter_code")
        if key == "a":
            if len(value) != 10 or any(c not in "0123456789abcdef" for c in value):
                raise ValueError(value)
            return value
        if key == "o" and value == "":
            return True
        if key in "qk" and value:
            text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            if not text or _short(text) != text or _b64(text) != value:
                raise ValueError(value)
            return text
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("filter_code") from None
    raise InvalidInput("filter_code")


def area_of_tag(tag: str, areas: AreaMap) -> str | None:
    return next((key for key in areas.areas if key_tag(key) == tag), None)


# ---------------------------------------------------------------------- paging


def pages(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, ceil(total / size))


def clamp_page(page: int, total: int, size: int = PAGE_SIZE) -> int:
    """A page past the end (the list shrank since the button was drawn) is the last one."""
    return min(max(page, 0), pages(total, size) - 1)
