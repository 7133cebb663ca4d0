"""Translated names for the core's enums. Every user-facing word passes through gettext."""

from datetime import date as Date
from datetime import datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.numbers import format_decimal, format_percent

from domain.contacts import CloseReason, Status
from domain.duplicates import Reason as DupReason
from domain.errors import DomainError
from domain.matching import Candidate, Exclusion, Reason, Suggestion
from domain.members import Availability, Gender
from domain.milestones import Milestone
from domain.offers import DeclineReason, Offer, OfferStatus
from domain.reliability import Track
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


def milestone(value: Milestone) -> str:
    return {
        Milestone.HAS_BIBLE: _("has a Bible"),
        Milestone.READS_BIBLE: _("reading the Bible"),
        Milestone.BELIEVES: _("states belief"),
        Milestone.CAN_SHARE: _("can share"),
        Milestone.SHARING: _("sharing"),
        Milestone.BAPTIZED: _("baptized"),
        Milestone.BAPTIZING: _("baptizing"),
        Milestone.IN_GROUP: _("in a group"),
        Milestone.STARTS_GROUPS: _("starting groups"),
    }[value]


def close_reason(value: str | None) -> str:
    labels = {CloseReason.SPAM.value: _("spam"), CloseReason.INVALID.value: _("invalid"),
              CloseReason.NO_RESPONSE.value: _("no response"),
              CloseReason.NOT_INTERESTED.value: _("no longer interested"),
              "no_answer": _("the seeker never answered")}
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


def match_reason(reason: Reason, s: Suggestion, language_code: str, now: datetime) -> str:
    """A reason in the words a dispatcher would use, with its figure."""
    track = s.track
    if reason is Reason.SAME_AREA:
        return _("same area")
    if reason is Reason.NEIGHBOUR_AREA:
        return _("neighbouring area")
    if reason is Reason.WITHIN_TRAVEL:
        return _("{km} km away, will travel").format(km=round(s.distance_km or 0))
    if reason is Reason.SPEAKS_LANGUAGE:
        return _("speaks {language}").format(language=language(language_code))
    if reason is Reason.FALLBACK_LANGUAGE:
        return _("no {language}, speaks a fallback language").format(language=language(language_code))
    if reason is Reason.SAME_GENDER:
        return _("same gender")
    if reason is Reason.FREE_CAPACITY:
        return _("load {load}/{capacity}").format(load=s.load, capacity=s.capacity)
    if reason is Reason.RELIABLE:
        return reliability(track) or _("reliable")
    if reason is Reason.HANDED_BACK:
        return _("handed this seeker back (ranked last)")
    return _("last offer {ago} ago").format(ago=ago(track.last_offer_at, now)) \
        if track.last_offer_at else _("never offered yet")


def reliability(track: Track) -> str:
    """'accepts 80%, answers in 2 hours, 9/10 reached in time' — only the figures there are."""
    parts = []
    if track.acceptance is not None:
        parts.append(_("accepts {share}").format(share=percent(track.acceptance)))
    if track.median_answer is not None:
        parts.append(_("answers in {time}").format(time=duration(track.median_answer)))
    if track.judged:
        parts.append(_("{n}/{of} reached in time").format(n=track.in_time, of=track.judged))
    if track.recent_nags or track.recent_escalations:
        n = track.recent_nags + track.recent_escalations
        parts.append(ngettext("{n} reminder lately", "{n} reminders lately", n).format(n=n))
    return ", ".join(parts)


def exclusion(value: Exclusion, candidate: Candidate, language_code: str) -> str:
    profile = candidate.member.profile
    if value is Exclusion.AWAY and profile.away_until:
        return _("away until {date}").format(
            date=format_date(profile.away_until, "d MMM", locale=locale()))
    return {
        Exclusion.NOT_ACTIVE: _("not an active multiplier"),
        Exclusion.UNREACHABLE: _("has blocked the bot"),
        Exclusion.AWAY: _("away"),
        Exclusion.BUSY: _("busy"),
        Exclusion.FULL: _("full: {load}/{capacity}").format(load=candidate.load,
                                                           capacity=profile.capacity),
        Exclusion.LANGUAGE: _("does not speak {language}").format(language=language(language_code)),
        Exclusion.GENDER: _("other gender (the team requires the same)"),
        Exclusion.ALREADY_ASKED: _("already declined or let the offer lapse"),
        Exclusion.REASSIGNED: _("reassigned away from this seeker (pick them under “Other…” if you must)"),
    }[value]


def offer_outcome(offer: Offer) -> str:
    if offer.status is OfferStatus.DECLINED:
        return _("declined ({reason})").format(reason=decline_reason(offer.decline_reason))
    return {
        OfferStatus.PENDING: _("waiting for an answer"),
        OfferStatus.ACCEPTED: _("accepted"),
        OfferStatus.WITHDRAWN: _("withdrawn"),
        OfferStatus.EXPIRED: _("no answer in time"),
    }[offer.status]


def percent(share: float) -> str:
    return format_percent(share, locale=locale())


def decimal(value: float, pattern: str | None = None) -> str:
    """A figure with a fraction (a score, a size in MB): "1,5" for a Russian or Italian reader."""
    return format_decimal(value, pattern, locale=locale())


def duration(value: timedelta) -> str:
    return format_timedelta(value, locale=locale(), threshold=1.1)


def span(lower: timedelta | None, upper: timedelta | None) -> str:
    """A range of durations on a chart axis ("< 1h", "1h–4h", "> 3d"), in the reader's units."""
    def short(value: timedelta) -> str:
        return format_timedelta(value, format="narrow", threshold=1, locale=locale())

    if lower is None and upper is not None:
        return f"< {short(upper)}"
    if upper is None and lower is not None:
        return f"> {short(lower)}"
    assert lower is not None and upper is not None
    return f"{short(lower)}–{short(upper)}"


def duplicate_reason(value: DupReason) -> str:
    return {
        DupReason.SAME_PHONE: _("same phone"),
        DupReason.SAME_EMAIL: _("same e-mail"),
        DupReason.SAME_USERNAME: _("same Telegram username"),
        DupReason.SAME_TG_ID: _("same Telegram account"),
        DupReason.SIMILAR_NAME: _("similar name"),
        DupReason.SAME_NAME: _("same name"),
        DupReason.SAME_AREA: _("same area"),
        DupReason.SIMILAR_AREA: _("similar area"),
        DupReason.SAME_PHONE_ENDING: _("same phone ending"),
        DupReason.DIFFERENT_NAME: _("different name"),
    }[value]


def error(exc: DomainError) -> str:
    if exc.code == "not_found" and exc.detail == "area":
        return _("No such area on the list; see /areas.")
    if exc.code == "held_by_multiplier":
        return _("This contact is held by a multiplier now; ask a dispatcher to change it.") \
            if exc.detail == "edit" else \
            _("This contact is held by a multiplier now: only they and the dispatchers see its details.")
    if exc.code in ("unknown_filter", "ambiguous_filter"):
        return filter_word_problem(exc)
    return {
        "not_found": _("Not found: it may have been removed."),
        "no_longer_available": _("This is no longer available: someone acted on it already."),
        "already_done": _("Already done: your earlier answer was saved."),
        "already_asked": _("Already asked: the update is still awaited."),
        "no_longer_yours": _("This contact is no longer yours."),
        "not_allowed": _("This button is not for you."),
        "invalid_input": _("That does not look right; please try again."),
        "unknown_places": _("Not on the team's list of areas: {names}. Check the spelling or ask an admin to add them (/areas).").format(names=escape(exc.detail)),
        "not_yours": _("Only the multiplier who holds this contact, dispatchers and admins (and the operator who entered it, until someone takes it) see or change its details."),
        "holder_fields": _("As its multiplier you can change the phone, Telegram, e-mail and area; ask a dispatcher for the rest."),
        "private_only": _("For privacy this works only in a private chat with me."),
        "pool_taken": _("Someone else took this seeker first. Thank you for being ready."),
        "pool_closed": _("This seeker is no longer open to all: the dispatchers placed them."),
        "pool_lapsed": _("This invitation lapsed: nobody took the seeker in time, so the "
                         "dispatchers will place them."),
        "pool_unfit": _("You cannot take this seeker now: you no longer fit the matching rules (your places are full, or you are away). The others still can."),
        "pool_empty": _("Nobody passes the matching rules for this seeker now: offer by hand or wait."),
    }.get(exc.code, _("Sorry, that cannot be done."))


def filter_word_problem(exc: DomainError) -> str:
    if exc.code == "ambiguous_filter":
        return _("Several multipliers are called “{word}”: write the full name.").format(
            word=escape(exc.detail))
    return _("I do not know “{word}”: use a stage (reached, met…), overdue, a multiplier's name, an area or source:…").format(
        word=escape(exc.detail))


def contact_field(name: str) -> str:
    """A contact's detail as the edit buttons and the history name it."""
    return {
        "name": _("name"),
        "phone": _("phone"),
        "tg_username": _("Telegram"),
        "email": _("e-mail"),
        "gender": _("gender"),
        "language": _("language"),
        "area": _("area"),
        "source": _("source"),
        "notes": _("notes"),
    }.get(name, name)


def ago(since: datetime, now: datetime) -> str:
    return format_timedelta(max(now - since, timedelta(0)), locale=locale(), threshold=1.1)


def date(moment: datetime, zone: ZoneInfo) -> str:
    return format_date(moment.astimezone(zone), "d MMM yyyy", locale=locale())


def date_in(moment: datetime, timezone: str) -> str:
    """The day a moment fell on in the reader's zone (a milestone's)."""
    return date(moment, ZoneInfo(timezone))


def day(value: Date) -> str:
    """A calendar day someone typed (an away date), shown as typed: it is stored as midnight
    UTC, and moving it into a zone west of UTC would show the day before."""
    return format_date(value, "d MMM yyyy", locale=locale())


def weekday(value: Date) -> str:
    """A coming day on a button: "Thu 3 Dec"."""
    return format_date(value, "EEE d MMM", locale=locale())


def clock_time(value: time) -> str:
    """A wall-clock time such as a digest time: the same hour in every zone, so none is named."""
    return format_time(value, "HH:mm", locale=locale())


def moment(at: datetime, timezone: str) -> str:
    """A moment in the reader's zone, short (the zone is named once, above the lines)."""
    return format_datetime(at, "d MMM HH:mm", tzinfo=ZoneInfo(timezone), locale=locale())


def when(moment: datetime, timezone: str) -> str:
    """A moment in the reader's own time zone, with the zone named."""
    local = format_datetime(moment, "d MMM HH:mm", tzinfo=ZoneInfo(timezone), locale=locale())
    return f"{local} ({timezone})"
