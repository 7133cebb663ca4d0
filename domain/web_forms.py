"""A lead form the team puts on its own web page: which fields it asks, its texts, and the
checks a submission meets before it becomes a contact.

The page is public, so it carries no key: a submission is taken when the page was really
rendered by us (a signed per-render token), filled in by someone slower than a script
(a minimum fill time) who left the hidden honeypot field empty. The answers are then checked
with the same field rules as the HTTP API and a CSV row (domain.contact_fields)."""

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl

from domain.contact_fields import Checked, FieldError, check_contact, with_source
from domain.errors import InvalidInput
from domain.intake import strip_unsafe
from domain.members import Member
from domain.roles import Role


class Field(StrEnum):
    """What a form can ask, in the order the page shows it."""

    NAME = "name"
    PHONE = "phone"
    TELEGRAM = "telegram"
    EMAIL = "email"
    GENDER = "gender"
    LANGUAGE = "language"
    AREA = "area"
    QUESTION = "question"


#: A contact always has a name, and a way to reach the seeker.
REACH = (Field.PHONE, Field.TELEGRAM, Field.EMAIL)
DEFAULT_FIELDS = frozenset({Field.NAME, Field.PHONE, Field.TELEGRAM})
#: The page's own inputs besides the asked fields.
CONSENT = "consent"
TOKEN = "token"
HONEYPOT = "website"  # a name a form-filling script is keen to fill; hidden from people
#: Where a contact field's problem is shown on the page (domain.contact_fields names).
_ON_PAGE = {"tg_username": Field.TELEGRAM, "notes": Field.QUESTION}

#: The texts an admin may type; an empty one is the page's built-in (translated) text.
TEXTS = ("greeting", "thanks", "consent", "question", "source_tag")
TEXT_LIMITS = {"greeting": 1000, "thanks": 1000, "consent": 500, "question": 200,
               "source_tag": 60}
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")

#: A page older than this is rendered again rather than taken (its token has expired).
TOKEN_TTL = timedelta(days=1)
#: How far a token's time may run ahead of our clock (several replicas' clocks differ).
CLOCK_SKEW = timedelta(seconds=5)
MAX_FIELDS = 30  # a real form posts about a dozen


@dataclass(frozen=True)
class WebForm:
    id: int
    slug: str  # its address: /form/<slug>; contacts it brings are marked form:<slug>
    created_by: int  # the admin in whose name its contacts enter
    created_at: datetime
    fields: frozenset[Field] = DEFAULT_FIELDS
    greeting: str = ""
    thanks: str = ""
    consent: str = ""
    question: str = ""
    source_tag: str = ""  # follows form:<slug> in the contact's source
    paused: bool = False

    @property
    def asked(self) -> tuple[Field, ...]:
        return tuple(f for f in Field if f in self.fields)

    @property
    def channel(self) -> str:
        return f"form:{self.slug}"


@dataclass(frozen=True)
class FormFigures:
    """Submissions a form brought in (sent: they reached intake) and those it refused
    (a bot's: honeypot, too fast, forged or missing token, too large, too many)."""

    slug: str
    sent: int = 0
    refused: int = 0


def accepting(form: WebForm, owner: Member | None) -> bool:
    """A form speaks for the admin who made it, and only while they are one (as API keys)."""
    return not form.paused and owner is not None and owner.has(Role.ADMIN)


def parse_slug(text: str) -> str:
    slug = text.strip().lower()
    if not _SLUG.match(slug):
        raise InvalidInput("slug")
    return slug


def parse_text(which: str, text: str) -> str:
    """An admin's text for the page; "-" puts the built-in one back."""
    if which not in TEXT_LIMITS:
        raise InvalidInput("text")
    value = strip_unsafe(text).strip()
    if value == "-":
        return ""
    if which in ("question", "source_tag"):
        value = " ".join(value.split())
    if len(value) > TEXT_LIMITS[which]:
        raise InvalidInput("too_long")
    return value


def toggle(fields: frozenset[Field], field: Field) -> frozenset[Field]:
    """The name is always asked, and at least one way to reach the seeker."""
    if field is Field.NAME:
        raise InvalidInput("name_always")
    changed = fields ^ {field}
    if not any(f in changed for f in REACH):
        raise InvalidInput("reach")
    return changed


# ---------------------------------------------------------------------- the page's token


def issue_token(secret: bytes, slug: str, issued: datetime, nonce: str | None = None) -> str:
    """Signed: the form's address and the moment the page was rendered (which also gives
    the fill time), so a post made without loading the page, or for another form, fails."""
    stamp = str(int(issued.timestamp() * 1000))
    nonce = nonce or secrets.token_urlsafe(9)
    return f"{stamp}.{nonce}.{_mac(secret, slug, stamp, nonce)}"


def _mac(secret: bytes, slug: str, stamp: str, nonce: str) -> str:
    message = f"{slug}\n{stamp}\n{nonce}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def token_issued(secret: bytes, slug: str, token: str) -> datetime | None:
    """When the page was rendered, or None for a token we did not sign for this form."""
    stamp, _, rest = token.partition(".")
    nonce, _, mac = rest.partition(".")
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 15 and nonce and mac):
        return None
    if not hmac.compare_digest(mac.encode(), _mac(secret, slug, stamp, nonce).encode()):
        return None
    return datetime.fromtimestamp(int(stamp) / 1000, UTC)


class Screen(StrEnum):
    """What the bot checks say of a submission: OK, refused as a bot's, or STALE (a page
    left open too long: shown again to send, not counted)."""

    OK = "ok"
    HONEYPOT = "honeypot"
    TOKEN = "token"
    TOO_FAST = "too_fast"
    STALE = "stale"


def screen(answers: Mapping[str, str], secret: bytes, slug: str, now: datetime,
           min_fill: timedelta) -> Screen:
    if answers.get(HONEYPOT, ""):
        return Screen.HONEYPOT
    issued = token_issued(secret, slug, answers.get(TOKEN, ""))
    if issued is None or issued > now + CLOCK_SKEW:
        return Screen.TOKEN
    if now - issued < min_fill:
        return Screen.TOO_FAST
    if now - issued > TOKEN_TTL:
        return Screen.STALE
    return Screen.OK


# ---------------------------------------------------------------------- the answers


def read_answers(body: bytes) -> dict[str, str] | None:
    """An application/x-www-form-urlencoded body as field -> first value; None if it is not
    UTF-8 or has more fields than any form of ours posts."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                          max_num_fields=MAX_FIELDS)
    except ValueError:  # UnicodeDecodeError is one
        return None
    answers: dict[str, str] = {}
    for key, value in pairs:
        answers.setdefault(key, value)
    return answers


@dataclass(frozen=True)
class Choices:
    """What the page's pick-lists offered: area keys -> names, language codes."""

    areas: Mapping[str, str]
    languages: tuple[str, ...]


def check_answers(form: WebForm, answers: Mapping[str, str], choices: Choices,
                  region: str) -> Checked:
    """The contact a submission makes, or every problem by the page's field names (and
    `consent`). Only the fields the form asks are read; a pick-list value the page did not
    offer is taken as no answer."""
    data = _contact_data(form, answers, choices)
    checked = check_contact(data, region)
    errors = [FieldError(_on_page(form, e), e.code) for e in checked.errors]
    if not answers.get(CONSENT):
        errors.append(FieldError(CONSENT, "required"))
    if errors:
        return Checked(None, tuple(errors))
    assert checked.details is not None
    return Checked(with_source(checked.details, form.channel), ())


def _contact_data(form: WebForm, answers: Mapping[str, str],
                  choices: Choices) -> dict[str, str]:
    def given(field: Field) -> str:
        return answers.get(field, "").strip() if field in form.fields else ""

    data = {"name": given(Field.NAME), "phone": given(Field.PHONE),
            "tg_username": given(Field.TELEGRAM), "email": given(Field.EMAIL),
            "source": form.source_tag}
    if given(Field.GENDER) in ("f", "m"):
        data["gender"] = given(Field.GENDER)
    if given(Field.LANGUAGE) in choices.languages:
        data["language"] = given(Field.LANGUAGE)
    if not choices.areas:  # the team has no list yet: the page asked for the place as typed
        data["area"] = given(Field.AREA)
    elif given(Field.AREA) in choices.areas:
        data["area"] = choices.areas[given(Field.AREA)]
    answer = given(Field.QUESTION)
    if answer:  # the team reads the answer beside the question it answers
        data["notes"] = f"{form.question}: {answer}" if form.question else answer
    return data


def _on_page(form: WebForm, error: FieldError) -> str:
    if error.code == "reach":  # beside the first way of reaching the seeker the form asks
        return next(f for f in REACH if f in form.fields)
    return _ON_PAGE.get(error.field, error.field)


def gave_username(answers: Mapping[str, str], form: WebForm) -> bool:
    """The seeker told us their Telegram name: the thank-you page may invite them to write."""
    return Field.TELEGRAM in form.fields and bool(answers.get(Field.TELEGRAM, "").strip())


def address(base: str, slug: str) -> str:
    """The page's public URL (`base`: where the bot's HTTP server is reached)."""
    return f"{base.rstrip('/')}/form/{slug}"
