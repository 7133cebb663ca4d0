"""Normalised identity keys: the same person typed two ways must produce the same key.

Phones are already E.164 at intake (domain.intake.parse_phone). Here: e-mail with provider
rules, Telegram usernames, names transliterated to a Latin skeleton, and the blocking keys
that let the database find fuzzy candidates through an index instead of a scan.
"""

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from domain.translit import to_latin

#: Providers that ignore dots in the local part and deliver local+tag to local.
DOTLESS_PROVIDERS = frozenset({"gmail.com", "googlemail.com"})
#: Providers that deliver local+tag (sub-addressing) to local, dots significant.
PLUS_TAG_PROVIDERS = DOTLESS_PROVIDERS | frozenset({
    "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com", "fastmail.com",
    "proton.me", "protonmail.com", "yandex.ru", "ya.ru", "yahoo.com",
})
_ALIASES = {"googlemail.com": "gmail.com", "ya.ru": "yandex.ru"}

PHONE_SUFFIX_DIGITS = 7
BLOCK_PREFIX = 4
#: How the name blocks are computed. 2: a short form blocks as its full name ("Маша" as
#: "mari"). Rows stored under an older version are re-keyed by the periodic duplicate job.
KEYS_VERSION = 2

# Spelling differences between transliteration systems (ya/ia/ja, y/i, kh/h, and Russian g /
# Ukrainian h) are folded after domain.translit by _fold.
_FOLDS = (("szcz", "sh"), ("cz", "ch"), ("sz", "sh"), ("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ph", "f"),
          ("w", "v"), ("g", "h"), ("y", "i"), ("j", "i"), ("x", "ks"), ("q", "k"))


@dataclass(frozen=True)
class IdentityKeys:
    """What detection looks up and scores. Empty strings / None mean 'not known'."""

    phone: str | None = None
    email: str | None = None
    tg_username: str | None = None
    tg_user_id: int | None = None
    phone_suffix: str | None = None
    name_key: str = ""
    name_blocks: tuple[str, ...] = ()  # up to two, see name_blocks()
    area: str = ""


def normalise_email(email: str | None) -> str | None:
    """Case-insensitive; dots and +tags dropped only where the provider ignores them."""
    if not email or "@" not in email:
        return None
    local, domain = email.strip().lower().rsplit("@", 1)
    domain = _ALIASES.get(domain, domain)
    if domain in PLUS_TAG_PROVIDERS:
        local = local.split("+", 1)[0]
    if domain in DOTLESS_PROVIDERS:
        local = local.replace(".", "")
    return f"{local}@{domain}" if local else None


def normalise_username(username: str | None) -> str | None:
    """Telegram usernames are case-insensitive; the @ and t.me/ prefix are not part of them."""
    if not username:
        return None
    value = username.strip().rsplit("/", 1)[-1].lstrip("@").lower()
    return value or None


def phone_suffix(phone: str | None) -> str | None:
    """The last digits: the same line typed with a wrong or missing country code."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    return digits[-PHONE_SUFFIX_DIGITS:] if len(digits) >= PHONE_SUFFIX_DIGITS else None


def _fold(token: str) -> str:
    for old, new in _FOLDS:
        token = token.replace(old, new)
    out = []
    for c in token:  # double letters are a transliteration habit, not a difference
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def latin(text: str) -> str:
    """Lower-case Latin letters: Cyrillic transliterated, accents stripped, the rest dropped."""
    return "".join(c if "a" <= c <= "z" else " " for c in to_latin(text))


def fold_token(word: str) -> str:
    """One word as names are compared: Latin, transliteration variants folded."""
    return "".join(_fold(t) for t in latin(word).split())


@dataclass(frozen=True)
class GivenName:
    full: str  # the folded full form a spelling stands for (itself, for a full form)
    group: int  # the line of domain/data/given_names.txt: one name in its forms
    short: bool  # a short form, diminutive or nickname


@cache
def given_names() -> dict[str, GivenName]:
    """Folded given name or short form -> what it stands for ('masha' -> 'maria').

    Read once from domain/data/given_names.txt (its header names the source). A spelling listed
    under two names is ambiguous and left out."""
    table: dict[str, GivenName] = {}
    ambiguous: set[str] = set()

    def put(key: str, value: GivenName) -> None:
        if len(key) < 2:
            return
        if key in table and table[key].group != value.group:
            ambiguous.add(key)
        table.setdefault(key, value)

    text = files("domain").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    for group, line in enumerate(text.splitlines()):
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        full, short = ([fold_token(w) for w in part.split(",") if w.strip()]
                       for part in line.split(":", 1))
        for key in full:
            put(key, GivenName(key, group, short=False))
        for key in short:
            put(key, GivenName(full[0], group, short=True))
    for key in ambiguous:
        del table[key]
    return table


def canonical(token: str) -> str:
    """A folded name token with a known short form or nickname replaced by its full name."""
    known = given_names().get(token)
    return known.full if known else token


def is_given_name(token: str) -> bool:
    return token in given_names()


def same_given_name(a: str, b: str) -> bool:
    """A short form and a form of the name it belongs to ('oksanka' and 'oksana', 'masha' and
    'mariia'); two different full forms (Olena, Elena) are left to spelling similarity."""
    table = given_names()
    first, second = table.get(a), table.get(b)
    return bool(first and second and first.group == second.group
                and (first.short or second.short))


@lru_cache(maxsize=16384)
def name_tokens(name: str) -> tuple[str, ...]:
    """Order-insensitive: 'Ivanova Maria' and 'Мария Иванова' give the same tokens. Kept per
    name: names repeat, and intake keys each arrival more than once."""
    return tuple(sorted(_fold(t) for t in latin(name).split() if len(t) > 1))


def name_key(name: str) -> str:
    """The folded tokens as typed (short forms kept: scoring reads them through canonical())."""
    return " ".join(name_tokens(name))


def name_blocks(name: str) -> tuple[str, ...]:
    """The first four letters of the two longest words, short forms read as their full name
    ('Маша' blocks as 'mari'): index keys that survive swapped order, transliteration, a
    nickname, and a typo anywhere in one of the words (the other word's key holds)."""
    tokens = sorted({canonical(t) for t in name_tokens(name)}, key=lambda t: (-len(t), t))[:2]
    return tuple(t[:BLOCK_PREFIX] for t in tokens)


@lru_cache(maxsize=4096)
def normalise_area(area: str) -> str:
    return " ".join(latin(area).split())


def area_fold(area: str) -> str:
    """An area as compared for similarity: "Київ" and "Kyiv" both become "kiv", "Old-Town" and
    "Oldtown" both "oldtown" (a hyphen typed as a letter is one typo, not two)."""
    return "".join(_fold(t) for t in latin(area).split())


def identifiers(keys: IdentityKeys) -> list[str]:
    """A seeker's exact identifiers, one string each and sorted: what two arrivals of one
    person share, and the order intake takes its locks in (so two never wait on each other)."""
    named = [("phone", keys.phone), ("email", keys.email), ("username", keys.tg_username),
             ("telegram", keys.tg_user_id)]
    return sorted(f"{kind}:{value}" for kind, value in named if value)


def keys_for(name: str, phone: str | None, email: str | None, tg_username: str | None,
             tg_user_id: int | None, area: str) -> IdentityKeys:
    return IdentityKeys(
        phone=phone or None,
        email=normalise_email(email),
        tg_username=normalise_username(tg_username),
        tg_user_id=tg_user_id,
        phone_suffix=phone_suffix(phone),
        name_key=name_key(name),
        name_blocks=name_blocks(name),
        area=normalise_area(area),
    )
