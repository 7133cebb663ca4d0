"""Translated names for the core's enums. Every user-facing word passes through gettext."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_timedelta

from domain.contacts import CloseReason, Status
from domain.duplicates import Reason as DupReason
from domain.errors import DomainError
from domain.matching import Reason
from domain.members import Availability, Gender
from domain.offers import DeclineReason
from domain.roles import Role


def locale() -> str:
    return get_i18n().current_locale


def status(value: Status) -> str:
    return {
        Status.NEW: _("waiting for dispatch"),
        Status.OFFERED: _("offered"),
        Status.ON_HOLD: _("on hold"),
        Status.ACCEPTED: _("accepted"),
        Status.ATTEMPTED: _("contact attempted"),
        Status.REACHED: _("reached"),
        Status.MEETING_SCHEDULED: _("meeting scheduled"),
        Status.MET: _("met"),
        Status.ONGOING: _("ongoing"),
        Status.COULD_NOT_REACH: _("could not reach"),
        Status.NOT_INTERESTED: _("not interested"),
        Status.CLOSED: _("closed"),
        Status.MERGED: _("merged"),
    }[value]


def close_reason(value: str | None) -> str:
    labels = {CloseReason.SPAM.value: _("spam"), CloseReason.INVALID.value: _("invalid"),
              "no_response": _("no response")}
    return labels.get(value or "", value or "")


def decline_reason(value: DeclineReason | None) -> str:
    if value is None:
        return _("no reason yet")
    return {
        DeclineReason.TOO_BUSY: _("too busy"),
        DeclineReason.TOO_FAR: _("too far"),
        DeclineReason.LANGUAGE: _("language"),
        DeclineReason.OTHER: _("other"),
    }[value]


def gender(value: Gender, short: bool = False) -> str:
    if short:
        return {Gender.FEMALE: _("F"), Gender.MALE: _("M"), Gender.UNKNOWN: "?"}[value]
    return {Gender.FEMALE: _("female"), Gender.MALE: _("male"), Gender.UNKNOWN: _("not set")}[value]


def availability(value: Availability) -> str:
    return {
        Availability.ACTIVE: _("active"),
        Availability.BUSY: _("busy"),
        Availability.AWAY: _("away"),
    }[value]


def role(value: Role) -> str:
    return {
        Role.ADMIN: _("admin"),
        Role.DISPATCHER: _("dispatcher"),
        Role.OPERATOR: _("operator"),
        Role.MULTIPLIER: _("multiplier"),
    }[value]


def language(code: str) -> str:
    """Language names come from Babel's CLDR data, in the reader's own language."""
    if not code:
        return _("language not set")
    try:
        return Locale.parse(code).get_display_name(locale()) or code
    except (UnknownLocaleError, ValueError):
        return code


def match_reason(reason: Reason, language_code: str, load: int, capacity: int) -> str:
    return {
        Reason.SPEAKS_LANGUAGE: _("speaks {language}").format(language=language(language_code)),
        Reason.SAME_GENDER: _("same gender"),
        Reason.SAME_AREA: _("same area"),
        Reason.LOAD: _("load {load}/{capacity}").format(load=load, capacity=capacity),
        Reason.AVAILABLE: _("available"),
    }[reason]


def duplicate_reason(value: DupReason) -> str:
    return {
        DupReason.SAME_PHONE: _("same phone"),
        DupReason.SAME_EMAIL: _("same e-mail"),
        DupReason.SAME_USERNAME: _("same Telegram username"),
        DupReason.SAME_TG_ID: _("same Telegram account"),
        DupReason.SIMILAR_NAME: _("similar name"),
        DupReason.SAME_NAME: _("same name"),
        DupReason.SAME_AREA: _("same area"),
        DupReason.SAME_PHONE_ENDING: _("same phone ending"),
        DupReason.DIFFERENT_NAME: _("different name"),
    }[value]


def error(exc: DomainError) -> str:
    return {
        "not_found": _("Not found: it may have been removed."),
        "no_longer_available": _("This is no longer available: someone acted on it already."),
        "already_done": _("Already done: your earlier answer was saved."),
        "not_allowed": _("This button is not for you."),
        "invalid_input": _("That does not look right; please try again."),
    }.get(exc.code, _("Sorry, that cannot be done."))


def ago(since: datetime, now: datetime) -> str:
    return format_timedelta(max(now - since, timedelta(0)), locale=locale(), threshold=1.1)


def when(moment: datetime, timezone: str) -> str:
    """A moment in the reader's own time zone, with the zone named."""
    local = format_datetime(moment, "d MMM HH:mm", tzinfo=ZoneInfo(timezone), locale=locale())
    return f"{local} ({timezone})"
