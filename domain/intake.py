"""Validation of what people type at intake. Each parser returns a clean value or raises."""

import re
import unicodedata
from dataclasses import replace

import phonenumbers

from domain.contacts import ContactDetails
from domain.errors import InvalidInput

MAX_NAME = 100
MAX_NOTES = 1000
MAX_FIELD = 100

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^([A-Za-z][A-Za-z0-9_]{4,31})$")
#: Bidirectional marks, embeddings, overrides and isolates: invisible, and able to show a
#: card's text in another order than it was typed ("Maria\u202eavonavI").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(char: str) -> bool:
    """Control characters (C0, DEL, C1), lone surrogates and bidi controls."""
    return char in _BIDI or unicodedata.category(char) in ("Cc", "Cs")


def strip_unsafe(text: str) -> str:
    """The one rule for every text field from every source (/new, the HTTP API, a CSV row,
    a seeker's Telegram name): line breaks stay, other whitespace controls become spaces, the
    other invisible controls are dropped. Joiners (ZWJ, ZWNJ) stay: emoji and several
    scripts need them, and they reorder nothing."""
    if text.isprintable():  # no controls, format characters or whitespace but the space
        return text
    return "".join(c if c == "\n" else " " if c.isspace() else c
                   for c in text if c.isspace() or not _unsafe(c))


def clean_details(details: ContactDetails) -> ContactDetails:
    """Every free-text field of a contact through `strip_unsafe`, whichever way it came in
    (intake applies it to all, so a prefilled Telegram name is cleaned like a typed one)."""
    return replace(details, name=" ".join(strip_unsafe(details.name).split()),
                   area=strip_unsafe(details.area), source=strip_unsafe(details.source),
                   notes=strip_unsafe(details.notes))


def parse_name(text: str) -> str:
    name = " ".join(strip_unsafe(text).split())
    if not name:
        raise InvalidInput("empty")
    if len(name) > MAX_NAME:
        raise InvalidInput("too_long")
    return name


def parse_phone(text: str, region: str) -> str:
    """E.164, so the same phone typed two ways is the same phone (duplicates depend on it)."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_email(text: str) -> str:
    email = text.strip()
    if len(email) > MAX_FIELD or not _EMAIL.match(email) or strip_unsafe(email) != email:
        raise InvalidInput("email")
    return email


def parse_username(text: str) -> str:
    match = _USERNAME.match(text.strip().lstrip("@"))
    if not match:
        raise InvalidInput("username")
    return match.group(1)


def parse_reach(text: str, region: str) -> dict[str, str]:
    """One answer may hold a phone, an @username and an e-mail, separated by commas."""
    found: dict[str, str] = {}
    for part in (p.strip() for p in re.split(r"[,;\n]", text)):
        if not part:
            continue
        if part.startswith(("@", "t.me/", "https://t.me/")):
            found["tg_username"] = parse_username(part.rsplit("/", 1)[-1].lstrip("@"))
        elif "@" in part:
            found["email"] = parse_email(part)
        elif sum(c.isdigit() for c in part) >= 5:
            found["phone"] = parse_phone(part, region)
        else:
            raise InvalidInput("reach")
    if not found:
        raise InvalidInput("reach")
    return found


def parse_free_text(text: str, limit: int = MAX_FIELD) -> str:
    value = " ".join(strip_unsafe(text).split())
    if len(value) > limit:
        raise InvalidInput("too_long")
    return value
