"""Validation of what people type at intake. Each parser returns a clean value or raises."""

import re

import phonenumbers

from domain.errors import InvalidInput

MAX_NAME = 100
MAX_NOTES = 1000
MAX_FIELD = 100

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^([A-Za-z][A-Za-z0-9_]{4,31})$")


def parse_name(text: str) -> str:
    name = " ".join(text.split())
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
    if len(email) > MAX_FIELD or not _EMAIL.match(email):
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
    value = " ".join(text.split())
    if len(value) > limit:
        raise InvalidInput("too_long")
    return value
