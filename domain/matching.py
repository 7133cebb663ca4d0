"""Rank multipliers for a contact. Simple and explainable; every score comes with its reasons."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.contacts import ContactDetails
from domain.members import Gender, Member, normalize_area


class Reason(StrEnum):
    SPEAKS_LANGUAGE = "language"
    SAME_GENDER = "gender"
    SAME_AREA = "area"
    LOAD = "load"
    AVAILABLE = "available"


@dataclass(frozen=True)
class Candidate:
    member: Member
    load: int  # contacts this multiplier holds now


@dataclass(frozen=True)
class Suggestion:
    member: Member
    score: float
    load: int
    reasons: tuple[Reason, ...]

    @property
    def capacity(self) -> int:
        return self.member.profile.capacity


WEIGHT_LANGUAGE = 3.0
WEIGHT_GENDER = 2.0
WEIGHT_AREA = 2.0
WEIGHT_FREE_CAPACITY = 1.0


def eligible(candidate: Candidate, now: datetime) -> bool:
    """Hard rules: an active multiplier the bot can reach, available today, with room."""
    member = candidate.member
    profile = member.profile
    return (
        member.is_multiplier
        and member.unreachable_at is None
        and profile.is_available(now)
        and candidate.load < profile.capacity
    )


def score(details: ContactDetails, candidate: Candidate) -> tuple[float, tuple[Reason, ...]]:
    profile = candidate.member.profile
    total, reasons = 0.0, []
    if details.language and details.language in profile.languages:
        total += WEIGHT_LANGUAGE
        reasons.append(Reason.SPEAKS_LANGUAGE)
    if details.gender is not Gender.UNKNOWN and details.gender is profile.gender:
        total += WEIGHT_GENDER
        reasons.append(Reason.SAME_GENDER)
    if details.area and normalize_area(details.area) in profile.areas:
        total += WEIGHT_AREA
        reasons.append(Reason.SAME_AREA)
    total += WEIGHT_FREE_CAPACITY * (1 - candidate.load / max(profile.capacity, 1))
    reasons += [Reason.LOAD, Reason.AVAILABLE]
    return total, tuple(reasons)


def rank(
    details: ContactDetails,
    candidates: Iterable[Candidate],
    now: datetime,
    exclude: frozenset[int] = frozenset(),
    limit: int = 3,
) -> list[Suggestion]:
    """Best first; ties go to the less loaded, then to the longer-standing member."""
    suggestions = []
    for candidate in candidates:
        if candidate.member.id in exclude or not eligible(candidate, now):
            continue
        total, reasons = score(details, candidate)
        suggestions.append(Suggestion(candidate.member, total, candidate.load, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.load, s.member.id))
    return suggestions[:limit]
