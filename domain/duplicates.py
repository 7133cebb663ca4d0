"""Is a new or edited contact someone we already have? Scores each stored candidate with reasons.

Two strengths:
- *exact*: the same e-mail, Telegram username or Telegram account, or the same phone with a
  compatible name. The arrival is attached to the stored contact as a touch, never a second
  contact. A shared phone with a clearly different name (a family phone) is not exact.
- *suspect*: a similar name (transliteration-, order- and nickname-insensitive) together with
  the same or a similar area (one typo) or the same phone ending, or a shared phone under a
  different name. Shown on the card for a dispatcher to merge or dismiss.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import OSA

from domain.identity import IdentityKeys, area_fold, canonical, is_given_name, same_given_name

#: Each aligned name token must be at least this similar for a phone match to count as exact.
PHONE_NAME_MIN = 0.75
#: A fuzzy suspect needs a name this similar (weakest aligned token) plus area or phone ending.
FUZZY_NAME_MIN = 0.8
#: Two areas this many typos apart (after folding) are the same place typed differently...
AREA_TYPOS = 1
#: ...when the shorter is at least this long ("Podil" / "Podol"; "Sumy" / "Sury" are not).
AREA_TYPO_MIN_LEN = 5
#: A family name alone (the given name left out) supports a suspect only if it is this long
#: and at most this many stored seekers in the area carry it: a rare name carries weight alone.
FAMILY_ALONE_MIN_LEN = 5
FAMILY_ALONE_MAX = 2
#: Stored rows one contact's candidate read returns at most (storage's read, cut there).
CANDIDATE_LIMIT = 400
#: Pending suspects a contact carries at most (on either side of a pair): the best by score.
#: 148 namesakes in one area would otherwise pair everyone with everyone (10,878 suspects,
#: each redrawing a card) inside an import's write transactions; five is what a dispatcher reads.
MAX_SUSPECTS = 5


class Reason(StrEnum):
    SAME_PHONE = "same_phone"
    SAME_EMAIL = "same_email"
    SAME_USERNAME = "same_username"
    SAME_TG_ID = "same_tg_id"
    SIMILAR_NAME = "similar_name"
    SAME_NAME = "same_name"
    SAME_AREA = "same_area"
    SIMILAR_AREA = "similar_area"
    SAME_PHONE_ENDING = "same_phone_ending"
    DIFFERENT_NAME = "different_name"


class Strength(StrEnum):
    EXACT = "exact"
    SUSPECT = "suspect"


@dataclass(frozen=True)
class Stored:
    """A stored contact as detection sees it: its id, keys, and age (older keeps its id).
    `row`: the stored row itself, where it was merged away (`id` is then its keeper's)."""

    id: int
    keys: IdentityKeys
    row: int | None = None


@dataclass(frozen=True)
class Match:
    contact_id: int
    strength: Strength
    score: int  # 0..100, for ordering and display
    reasons: tuple[Reason, ...]


@lru_cache(maxsize=65536)
def token_similarity(a: str, b: str) -> float:
    """Optimal string alignment: a swapped pair of letters is one typo, not two. A short form
    or nickname is read as its full name ("masha" ~ "maria" is 1.0). Kept per pair: given
    names repeat, and an import compares each row with up to hundreds of namesakes."""
    if a == b or same_given_name(a, b):
        return 1.0
    similarity = OSA.normalized_similarity(a, b)
    ca, cb = canonical(a), canonical(b)
    if ca != a or cb != b:
        similarity = max(similarity, OSA.normalized_similarity(ca, cb))
    return similarity


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """The weakest link after pairing each token with its best partner, order-insensitive.

    Using the weakest pair (not the average) keeps "Maria Ivanova" and "Oleg Ivanov" apart.
    A one-word name is compared with the best token of the other ("Maria" ~ "Maria Ivanova").
    Short forms and nicknames are read as their full name ("masha" ~ "maria"). Kept per
    pair: an import scores each row against dozens of namesakes, and names repeat.
    """
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    remaining = list(long_)
    weakest = 1.0
    for token in short:
        similarities = [token_similarity(token, t) for t in remaining]
        best = max(range(len(remaining)), key=similarities.__getitem__)  # the first best
        weakest = min(weakest, similarities[best])
        del remaining[best]
    return weakest


@lru_cache(maxsize=8192)
def _area_forms(area: str) -> tuple[str, str]:
    """As typed without separators, and folded (a typo can straddle a fold: 'wets' / 'west')."""
    return area.replace(" ", ""), area_fold(area)


def area_match(a: str, b: str) -> Reason | None:
    """SAME_AREA when two normalised areas are equal once folded ('kyiv' / 'київ'), SIMILAR_AREA
    when they are one typo apart and long enough for a typo to be told from another place."""
    if not a or not b:
        return None
    if a == b:
        return Reason.SAME_AREA
    (ra, fa), (rb, fb) = _area_forms(a), _area_forms(b)
    if fa == fb:
        return Reason.SAME_AREA
    if min(len(fa), len(fb)) >= AREA_TYPO_MIN_LEN and min(
            OSA.distance(ra, rb, score_cutoff=AREA_TYPOS),
            OSA.distance(fa, fb, score_cutoff=AREA_TYPOS)) <= AREA_TYPOS:
        return Reason.SIMILAR_AREA
    return None


def areas_like(area: str, known: Iterable[str]) -> list[str]:
    """The stored areas a typed one may mean (itself first): where name blocks are looked up."""
    if not area:
        return []
    return [area, *(k for k in known if k != area and area_match(area, k) is not None)]


def is_candidate(new: IdentityKeys, places: Collection[str], old: IdentityKeys) -> bool:
    """Whether storage's read of `new`'s candidates (ContactRepository.candidates) finds
    `old`: a shared identifier or phone ending, or a shared name block in one of `places`.
    An import reads a whole chunk's candidates at once and narrows them per row with this."""
    if (new.phone and new.phone == old.phone) or (new.email and new.email == old.email) \
            or (new.tg_username and new.tg_username == old.tg_username) \
            or (new.tg_user_id and new.tg_user_id == old.tg_user_id) \
            or (new.phone_suffix and new.phone_suffix == old.phone_suffix):
        return True
    return old.area in places and not set(new.name_blocks).isdisjoint(old.name_blocks)


def _family_alone(a: str, b: str) -> bool:
    """One name is a single family name (not a given name), long enough to mean something."""
    ta, tb = a.split(), b.split()
    one = ta if len(ta) == 1 else tb if len(tb) == 1 else None
    return one is not None and len(ta) + len(tb) > 2 and not is_given_name(one[0]) \
        and len(one[0]) >= FAMILY_ALONE_MIN_LEN


def _identifier_reasons(new: IdentityKeys, old: IdentityKeys) -> list[Reason]:
    reasons = []
    if new.email and new.email == old.email:
        reasons.append(Reason.SAME_EMAIL)
    if new.tg_username and new.tg_username == old.tg_username:
        reasons.append(Reason.SAME_USERNAME)
    if new.tg_user_id and new.tg_user_id == old.tg_user_id:
        reasons.append(Reason.SAME_TG_ID)
    return reasons


def score(new: IdentityKeys, old: Stored) -> Match | None:
    """None when nothing links the two."""
    keys = old.keys
    similarity = name_similarity(new.name_key, keys.name_key)
    name_reason = Reason.SAME_NAME if similarity == 1.0 else Reason.SIMILAR_NAME
    strong = _identifier_reasons(new, keys)
    same_phone = bool(new.phone and new.phone == keys.phone)
    if same_phone and similarity >= PHONE_NAME_MIN:
        strong.insert(0, Reason.SAME_PHONE)
    if strong:
        return Match(old.id, Strength.EXACT, 100, tuple(strong))
    if same_phone:  # a family phone, or a typo in the name: let a person decide
        return Match(old.id, Strength.SUSPECT, 70, (Reason.SAME_PHONE, Reason.DIFFERENT_NAME))
    if similarity < FUZZY_NAME_MIN:
        return None
    support = []
    two_words = len(new.name_key.split()) > 1 and len(keys.name_key.split()) > 1
    area = area_match(new.area, keys.area)
    # a given name alone is too common; a family name alone counts (detect() keeps it if rare)
    if area is not None and (two_words or _family_alone(new.name_key, keys.name_key)):
        support.append(area)
    if new.phone_suffix and new.phone_suffix == keys.phone_suffix:
        support.append(Reason.SAME_PHONE_ENDING)
    if not support:
        return None
    value = round(60 + 30 * similarity) + 5 * (len(support) - 1)
    return Match(old.id, Strength.SUSPECT, min(value, 99), (name_reason, *support))


def detect(new: IdentityKeys, stored: list[Stored], exclude: int | None = None) -> list[Match]:
    """Every match, exact ones first, then by score; the oldest first among equals.

    Suspects on a family name alone (one of the two names is a single word) are kept only if
    few stored seekers match that way: a common family name alone says nothing."""
    matches = []
    alone = []
    for s in stored:
        if s.id == exclude or (m := score(new, s)) is None:
            continue
        if m.strength is Strength.SUSPECT and Reason.SAME_PHONE_ENDING not in m.reasons \
                and Reason.SAME_PHONE not in m.reasons and _family_alone(new.name_key, s.keys.name_key):
            alone.append(m)
        else:
            matches.append(m)
    if len({m.contact_id for m in alone}) <= FAMILY_ALONE_MAX:
        matches += alone
    return sorted(matches, key=lambda m: (m.strength is not Strength.EXACT, -m.score, m.contact_id))


def best_per_contact(matches: list[Match]) -> list[Match]:
    """detect()'s matches, the first (best) per stored seeker: a seeker found through two
    branches of the candidate read, or a merged-away record and its keeper, count once."""
    best: dict[int, Match] = {}
    for match in matches:
        best.setdefault(match.contact_id, match)
    return list(best.values())


def new_suspects(matches: list[Match], own: int, pending: Mapping[int, int]) -> list[Match]:
    """The matches of a contact stored just now that become its pending suspects: the best
    by score, as many as its `own` pending count leaves room for, skipping stored contacts
    that carry MAX_SUSPECTS already (`pending`: their counts)."""
    ranked = sorted(matches, key=lambda m: (-m.score, m.contact_id))
    room = max(MAX_SUSPECTS - own, 0)
    return [m for m in ranked if pending.get(m.contact_id, 0) < MAX_SUSPECTS][:room]


def exact_match(matches: list[Match]) -> Match | None:
    return next((m for m in matches if m.strength is Strength.EXACT), None)


#: Where a suspected pair stands: a dispatcher merges it, dismisses it, or has yet to decide.
PENDING, DISMISSED, MERGED = "pending", "dismissed", "merged"


@dataclass(frozen=True)
class Suspect:
    """A stored pair a dispatcher is asked about."""

    id: int
    contact_id: int  # the newer record
    other_id: int  # the older record
    score: int
    reasons: tuple[Reason, ...]
    status: str
