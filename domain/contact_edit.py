"""Changing one detail of a stored contact: the same validation as intake (domain.intake
through domain.contact_fields), and the same rule that a seeker must stay reachable."""

from collections.abc import Collection
from dataclasses import replace

from domain.contact_access import EDIT_FIELDS
from domain.contact_fields import parse_field
from domain.contacts import ContactDetails
from domain.errors import InvalidInput
from domain.members import Gender

#: Typed instead of a value: remove it (a phone, an e-mail, the notes...).
CLEAR = "-"
#: Picked from buttons, never typed.
CHOICE_FIELDS = frozenset({"gender", "language"})
#: Details that may be removed; the name may only be replaced.
_OPTIONAL = frozenset(EDIT_FIELDS) - {"name"}


def parse_value(field: str, text: str, region: str, languages: Collection[str] = ()) -> object:
    """The clean new value (None: remove it). `languages`: the codes the team's buttons
    offer; a language is picked among them (or CLEAR), as in /new."""
    if field not in EDIT_FIELDS:
        raise InvalidInput("field")
    text = text.strip()
    if text == CLEAR:
        if field not in _OPTIONAL:
            raise InvalidInput("required")  # a name is replaced, never removed
        return None
    if field == "language" and text not in languages:
        raise InvalidInput("language")
    if field == "gender" and text not in Gender._value2member_map_:
        raise InvalidInput("gender")
    value = parse_field(field, text, region)
    if value is None:  # nothing typed
        raise InvalidInput("required" if field == "name" else "empty")
    return value


def apply(details: ContactDetails, field: str, value: object) -> ContactDetails:
    """`details` with one field changed. A new name is read whole again (its parts were the
    old name's); the seeker must keep at least one way to be reached."""
    if field == "name":
        return replace(details, name=str(value), given_name=None, family_name=None)
    if field == "gender":
        changed = replace(details, gender=Gender(value or Gender.UNKNOWN))
    elif field in ("phone", "tg_username", "email"):
        changed = replace(details, **{field: value})
    else:
        changed = replace(details, **{field: value or ""})
    if not (changed.phone or changed.tg_username or changed.email or changed.tg_user_id):
        raise InvalidInput("reach")
    return changed


def value_of(details: ContactDetails, field: str) -> object:
    """What the field holds now, as the audit log keeps it."""
    value = getattr(details, field)
    return value.value if isinstance(value, Gender) else value
