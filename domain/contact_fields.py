"""Field-level validation of a contact that arrives as data (an API request, a CSV row), not
typed step by step: every field is checked and every problem is named, so the sender can fix
them all at once. The rules are those of the /new dialog (domain.intake)."""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from domain import intake as rules
from domain.contacts import ContactDetails
from domain.errors import InvalidInput
from domain.members import Gender
from domain.names import joined

FIELDS = ("name", "given_name", "family_name", "phone", "tg_username", "email", "gender",
          "language", "area", "notes", "source")
MAX_LANGUAGE = 16

_GENDERS = {
    "m": Gender.MALE, "male": Gender.MALE, "man": Gender.MALE, "м": Gender.MALE,
    "муж": Gender.MALE, "мужской": Gender.MALE, "чоловік": Gender.MALE, "ч": Gender.MALE,
    "f": Gender.FEMALE, "female": Gender.FEMALE, "woman": Gender.FEMALE, "ж": Gender.FEMALE,
    "жен": Gender.FEMALE, "женский": Gender.FEMALE, "жінка": Gender.FEMALE,
    "u": Gender.UNKNOWN, "unknown": Gender.UNKNOWN, "": Gender.UNKNOWN,
}

#: The problems a field can have. The core names them; each surface says them in its
#: reader's words (views.import_texts in the chat, in the reader's language; api.problems in
#: English, the HTTP API's convention, with the code beside the message).
CODES = ("required", "too_long", "not_text", "phone", "email", "username", "gender",
         "language", "reach", "unknown")


@dataclass(frozen=True)
class FieldError:
    """`code`: one of CODES (or a CSV row's problem, domain.csv_table)."""

    field: str
    code: str


@dataclass(frozen=True)
class Checked:
    """Either details (no errors) or the list of everything wrong."""

    details: ContactDetails | None
    errors: tuple[FieldError, ...]


def check_contact(data: Mapping[str, object], region: str, strict: bool = True) -> Checked:
    """`strict`: an unknown key is an error (API); a CSV maps its columns first."""
    errors: list[FieldError] = []
    values: dict[str, str] = {}
    for key, raw in data.items():
        if key not in FIELDS:
            if strict:
                errors.append(FieldError(key, "unknown"))
            continue
        if raw is None:
            continue
        if not isinstance(raw, str):
            errors.append(FieldError(key, "not_text"))
            continue
        values[key] = raw.strip()
    if not values.get("name"):  # a source that sends only the parts
        values["name"] = joined(values.get("given_name"), values.get("family_name"))
    clean: dict[str, object] = {}
    wrong = {e.field for e in errors}
    for key in (k for k in FIELDS if k not in wrong):
        try:
            value = parse_field(key, values.get(key, ""), region)
        except InvalidInput as exc:
            errors.append(FieldError(key, exc.detail or "invalid"))
            continue
        if value not in ("", None):
            clean[key] = value
    if not errors and not (clean.get("phone") or clean.get("tg_username") or clean.get("email")):
        errors.append(FieldError("phone", "reach"))
    if errors:
        return Checked(None, tuple(errors))
    return Checked(ContactDetails(**clean), ())  # type: ignore[arg-type]


def parse_field(key: str, text: str, region: str) -> object:
    """One field's clean value (None: left empty), or InvalidInput naming the problem. The
    rule for every way a detail is typed: /new, the API, a CSV row, an edit."""
    if key == "name":
        if not text:
            raise InvalidInput("required")
        return rules.parse_name(text)
    if not text:
        return None
    if key in ("given_name", "family_name"):
        return rules.parse_name(text)
    if key == "phone":
        return rules.parse_phone(text, region)
    if key == "email":
        return rules.parse_email(text)
    if key == "tg_username":
        return rules.parse_username(text.rsplit("/", 1)[-1])
    if key == "gender":
        return _gender(text)
    if key == "language":
        return _language(text)
    if key == "notes":
        return rules.parse_free_text(text, rules.MAX_NOTES)
    return rules.parse_free_text(text)  # area, source


def _gender(text: str) -> Gender:
    gender = _GENDERS.get(text.lower())
    if gender is None:
        raise InvalidInput("gender")
    return gender


def _language(text: str) -> str:
    code = text.lower()
    if len(code) > MAX_LANGUAGE or not code.replace("-", "").isalpha():
        raise InvalidInput("language")
    return code


def with_source(details: ContactDetails, channel: str, limit: int = 200) -> ContactDetails:
    """The channel ("api:webform", "csv:leads.csv") always leads; what the sender said about
    the source follows it, so the team sees both."""
    source = f"{channel} · {details.source}" if details.source else channel
    return replace(details, source=source[:limit])
