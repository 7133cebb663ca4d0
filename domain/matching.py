"""Who is the right multiplier for this seeker: hard rules first, then weighted, explained scores.

`explain` judges every multiplier and says why (the dispatcher's "why not Anna?"); `rank` gives
the best few. Both use the same two functions, `exclusion` and `score`, so they never disagree.

A seeker's history with the team narrows it per contact: who declined or let an offer lapse
(`exclude`) and who was reassigned away (`reassigned`) are not suggested again, and whoever
handed the seeker back (`handed_back`) comes after everyone else eligible. A dispatcher may
still pick any of them by hand."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property

from domain.areas import AreaMap, Closeness
from domain.contacts import ContactDetails
from domain.members import Availability, Gender, Member
from domain.reliability import Track


class GenderRule(StrEnum):
    REQUIRED = "required"  # a seeker of known gender only goes to the same gender
    PREFERRED = "preferred"  # same gender scores higher
    IGNORED = "ignored"


@dataclass(frozen=True)
class Weights:
    same_area: float = 4.0
    neighbour_area: float = 2.5
    within_travel: float = 1.5
    own_language: float = 1.0  # speaks the seeker's language, not only a fallback one
    gender: float = 1.5  # used when the gender rule is "preferred"
    free_capacity: float = 1.0  # x share of capacity still free
    reliability: float = 2.0  # x track record, 0..1
    fairness: float = 1.0  # x time since the last offer, full after `fairness_days`


@dataclass(frozen=True)
class MatchPolicy:
    gender_rule: GenderRule = GenderRule.PREFERRED
    fallback_languages: frozenset[str] = frozenset()
    weights: Weights = field(default_factory=Weights)
    fairness_days: int = 14
    auto_dispatch: bool = False
    auto_tries: int = 3
    offer_days: int = 0  # the days an offer promises by default; 0: the deployment's OFFER_DAYS
    open_pool: bool = False  # dispatchers may open a waiting contact to every eligible one
    pool_size: int = 5  # at most this many multipliers are invited to one open pool


class Exclusion(StrEnum):
    NOT_ACTIVE = "not_active"
    UNREACHABLE = "unreachable"
    AWAY = "away"
    BUSY = "busy"
    FULL = "full"
    LANGUAGE = "language"
    GENDER = "gender"
    ALREADY_ASKED = "asked"  # declined this seeker, or let the offer lapse
    REASSIGNED = "reassigned"  # a dispatcher took this seeker away from them


class Reason(StrEnum):
    SAME_AREA = "same_area"
    NEIGHBOUR_AREA = "neighbour_area"
    WITHIN_TRAVEL = "within_travel"
    SPEAKS_LANGUAGE = "language"
    FALLBACK_LANGUAGE = "fallback_language"
    SAME_GENDER = "gender"
    FREE_CAPACITY = "free_capacity"
    RELIABLE = "reliable"
    WAITING_LONGEST = "fairness"
    HANDED_BACK = "handed_back"  # gave this seeker back once: ranked after the others


@dataclass(frozen=True)
class Candidate:
    member: Member
    load: int  # contacts this multiplier holds now
    track: Track = field(default_factory=Track)

    @property
    def reliability(self) -> float:
        return self.track.reliability


@dataclass(frozen=True)
class Suggestion:
    member: Member
    score: float
    load: int
    reasons: tuple[Reason, ...]
    track: Track = field(default_factory=Track)
    closeness: Closeness = Closeness.UNKNOWN
    distance_km: float | None = None

    @property
    def capacity(self) -> int:
        return self.member.profile.capacity


@dataclass(frozen=True)
class Verdict:
    """One multiplier as the ranking saw them: excluded with a reason, or scored."""

    candidate: Candidate
    exclusion: Exclusion | None
    suggestion: Suggestion | None


@dataclass(frozen=True)
class Place:
    """The seeker's place, with its closeness to every area worked out once per ranking."""

    key: str | None
    areas: AreaMap

    @cached_property
    def grades(self) -> dict[str, tuple[Closeness, float | None]]:
        if self.key is None:
            return {}
        near = self.areas.neighbours(self.key)
        grades: dict[str, tuple[Closeness, float | None]] = {self.key: (Closeness.SAME, 0.0)}
        for other in self.areas.areas:
            if other != self.key:
                km = self.areas.distance_km(self.key, other)
                grades[other] = (Closeness.NEIGHBOUR if other in near else Closeness.FAR, km)
        return grades

    def closeness(self, served: Iterable[str], travel_km: int) -> tuple[Closeness, float | None]:
        best: tuple[Closeness, float | None] = (Closeness.UNKNOWN, None)
        for key in served:
            grade, km = self.grades.get(key, (Closeness.UNKNOWN, None))
            if grade is Closeness.FAR and km is not None and km <= travel_km:
                grade = Closeness.WITHIN_TRAVEL
            if grade < best[0] or (grade == best[0] and km is not None
                                   and (best[1] is None or km < best[1])):
                best = (grade, km)
        return best


def exclusion(details: ContactDetails, candidate: Candidate, now: datetime,
              policy: MatchPolicy) -> Exclusion | None:
    member, profile = candidate.member, candidate.member.profile
    if not member.is_multiplier:
        return Exclusion.NOT_ACTIVE
    if member.unreachable_at is not None:
        return Exclusion.UNREACHABLE
    if not profile.is_available(now):
        return Exclusion.AWAY if profile.availability is Availability.AWAY else Exclusion.BUSY
    if candidate.load >= profile.capacity:
        return Exclusion.FULL
    if details.language and details.language not in profile.languages \
            and not (policy.fallback_languages & profile.languages):
        return Exclusion.LANGUAGE
    if policy.gender_rule is GenderRule.REQUIRED and details.gender is not Gender.UNKNOWN \
            and profile.gender is not details.gender:
        return Exclusion.GENDER
    return None


def score(details: ContactDetails, candidate: Candidate, place: Place, now: datetime,
          policy: MatchPolicy, handed_back: bool = False) -> Suggestion:
    """Only for a candidate `exclusion` let through. `handed_back`: they gave this seeker
    back once, so they score below anyone who did not (handed_back_penalty)."""
    w, profile = policy.weights, candidate.member.profile
    reasons: list[Reason] = [Reason.HANDED_BACK] if handed_back else []
    closeness, km = place.closeness(profile.areas, profile.travel_km)
    total = {Closeness.SAME: w.same_area, Closeness.NEIGHBOUR: w.neighbour_area,
             Closeness.WITHIN_TRAVEL: w.within_travel}.get(closeness, 0.0)
    if closeness <= Closeness.WITHIN_TRAVEL:
        reasons.append((Reason.SAME_AREA, Reason.NEIGHBOUR_AREA, Reason.WITHIN_TRAVEL)[closeness])
    if details.language and details.language in profile.languages:
        total += w.own_language
        reasons.append(Reason.SPEAKS_LANGUAGE)
    elif details.language:
        reasons.append(Reason.FALLBACK_LANGUAGE)
    if policy.gender_rule is not GenderRule.IGNORED and details.gender is not Gender.UNKNOWN \
            and details.gender is profile.gender:
        total += w.gender if policy.gender_rule is GenderRule.PREFERRED else 0.0
        reasons.append(Reason.SAME_GENDER)
    free = 1 - candidate.load / max(profile.capacity, 1)
    total += w.free_capacity * free + w.reliability * candidate.reliability
    reasons.append(Reason.FREE_CAPACITY)
    if candidate.reliability >= 0.6:
        reasons.append(Reason.RELIABLE)
    fairness = _fairness(candidate.track.last_offer_at, now, policy.fairness_days)
    total += w.fairness * fairness
    if fairness >= 0.5:
        reasons.append(Reason.WAITING_LONGEST)
    if handed_back:
        total -= handed_back_penalty(policy)
    return Suggestion(candidate.member, total, candidate.load, tuple(reasons),
                      candidate.track, closeness, km)


def handed_back_penalty(policy: MatchPolicy) -> float:
    """More than any score can add up to (every part is at most its weight), so whoever
    handed the seeker back ranks after every other eligible multiplier, whatever the
    weights an admin set."""
    w = policy.weights
    return (max(w.same_area, w.neighbour_area, w.within_travel) + w.own_language + w.gender
            + w.free_capacity + w.reliability + w.fairness + 1.0)


def _fairness(last_offer_at: datetime | None, now: datetime, days: int) -> float:
    if last_offer_at is None:
        return 1.0
    return min(1.0, max(0.0, (now - last_offer_at) / timedelta(days=max(days, 1))))


def explain(details: ContactDetails, place: Place, candidates: Iterable[Candidate],
            now: datetime, policy: MatchPolicy, exclude: frozenset[int] = frozenset(), *,
            reassigned: frozenset[int] = frozenset(),
            handed_back: frozenset[int] = frozenset()) -> list[Verdict]:
    """Every multiplier: the eligible ones best first, then the excluded ones with why."""
    verdicts = []
    for candidate in candidates:
        member_id = candidate.member.id
        why = Exclusion.ALREADY_ASKED if member_id in exclude \
            else Exclusion.REASSIGNED if member_id in reassigned \
            else exclusion(details, candidate, now, policy)
        suggestion = None if why else score(details, candidate, place, now, policy,
                                            member_id in handed_back)
        verdicts.append(Verdict(candidate, why, suggestion))
    verdicts.sort(key=lambda v: (v.exclusion is not None, _order(v.suggestion),
                                 v.candidate.member.name))
    return verdicts


class Pool:
    """The multipliers, grouped by area and ordered by the part of their score that does not
    depend on the seeker, so a ranking reads the nearest areas first and stops as soon as
    nobody left could beat the ones it holds (an exact top-k, not a heuristic)."""

    def __init__(self, candidates: Iterable[Candidate], policy: MatchPolicy) -> None:
        candidates = list(candidates)
        self.policy, w = policy, policy.weights
        static = {c.member.id: w.free_capacity * (1 - c.load / max(c.member.profile.capacity, 1))
                  + w.reliability * c.reliability for c in candidates if c.member.is_multiplier}
        self._static = static
        self._by_area: dict[str | None, list[Candidate]] = {}
        for c in candidates:
            if c.member.id in static:
                for key in c.member.profile.areas or (None,):
                    self._by_area.setdefault(key, []).append(c)
        for group in self._by_area.values():
            group.sort(key=lambda c: -static[c.member.id])
        self._max_travel = max((c.member.profile.travel_km for c in candidates), default=0)

    def _tiers(self, place: Place) -> list[tuple[float, list[Candidate]]]:
        """Area groups, nearest first, each with the most its area can add to a score."""
        w, grades = self.policy.weights, place.grades
        weight = {Closeness.SAME: w.same_area, Closeness.NEIGHBOUR: w.neighbour_area}
        known = sorted((grades[key][0], grades[key][1] is None, grades[key][1] or 0.0, key)
                       for key in self._by_area if key in grades)
        tiers = []
        for grade, no_km, km, key in known:
            if grade in weight:
                bound = weight[grade]
            else:
                bound = w.within_travel if not no_km and km <= self._max_travel else 0.0
            tiers.append((bound, self._by_area[key]))
        rest = [g for key, g in self._by_area.items() if key not in grades]
        return tiers + [(0.0, group) for group in rest]

    def walk(self, details: ContactDetails, place: Place, now: datetime,
             exclude: frozenset[int] = frozenset(), limit: int | None = 3,
             prune: bool = True, *, reassigned: frozenset[int] = frozenset(),
             handed_back: frozenset[int] = frozenset()) -> list[Suggestion]:
        """Eligible multipliers nearest area first (not sorted by score). The bound that
        prunes holds for those who handed the seeker back too: their penalty only lowers it."""
        w, policy = self.policy.weights, self.policy
        personal = w.own_language + w.fairness + \
            (w.gender if policy.gender_rule is GenderRule.PREFERRED else 0.0)
        seen: set[int] = set(exclude) | reassigned
        best: list[Suggestion] = []
        for area_bound, group in self._tiers(place):
            for c in group:
                if prune and limit and len(best) >= limit and \
                        area_bound + personal + self._static[c.member.id] + EPSILON < _kth(best, limit):
                    break
                if c.member.id in seen:
                    continue
                seen.add(c.member.id)
                if exclusion(details, c, now, policy) is None:
                    best.append(score(details, c, place, now, policy,
                                      c.member.id in handed_back))
                    if prune and limit:
                        best.sort(key=_order)
                        del best[limit:]
        return best

    def serves(self, details: ContactDetails, place: Place, now: datetime) -> bool:
        """Could anyone eligible take this seeker without travelling beyond what they offer?"""
        for key, group in self._by_area.items():
            grade, km = place.grades.get(key, (Closeness.UNKNOWN, None)) if key else (
                Closeness.UNKNOWN, None)
            if grade > Closeness.NEIGHBOUR and (km is None or km > self._max_travel):
                continue  # nobody here can cover the place
            for c in group:
                profile = c.member.profile
                if place.closeness(profile.areas, profile.travel_km)[0] <= Closeness.WITHIN_TRAVEL \
                        and exclusion(details, c, now, self.policy) is None:
                    return True
        return False

    def rank(self, details: ContactDetails, place: Place, now: datetime,
             exclude: frozenset[int] = frozenset(), limit: int | None = 3, *,
             reassigned: frozenset[int] = frozenset(),
             handed_back: frozenset[int] = frozenset()) -> list[Suggestion]:
        """Best first; ties go to the less loaded, then to the longer-standing member."""
        found = self.walk(details, place, now, exclude, limit, reassigned=reassigned,
                          handed_back=handed_back)
        return sorted(found, key=_order)[:limit]


#: Bounds and scores add the same numbers in a different order; a tie must not be pruned.
EPSILON = 1e-9


def _kth(best: list[Suggestion], limit: int) -> float:
    return best[limit - 1].score


def rank(details: ContactDetails, place: Place, candidates: Iterable[Candidate], now: datetime,
         policy: MatchPolicy, exclude: frozenset[int] = frozenset(),
         limit: int | None = 3, *, reassigned: frozenset[int] = frozenset(),
         handed_back: frozenset[int] = frozenset()) -> list[Suggestion]:
    return Pool(candidates, policy).rank(details, place, now, exclude, limit,
                                         reassigned=reassigned, handed_back=handed_back)


@dataclass(frozen=True)
class Suggestions:
    """What a card shows of a ranking."""

    top: tuple[Suggestion, ...]  # the best, at most `shown`
    best_serving: Suggestion | None  # the best who works in or near the seeker's area
    nearest: tuple[Suggestion, ...]  # nobody eligible serves the area: the closest ones


def suggest(details: ContactDetails, place: Place, candidates: Iterable[Candidate],
            now: datetime, policy: MatchPolicy, exclude: frozenset[int] = frozenset(), *,
            reassigned: frozenset[int] = frozenset(), handed_back: frozenset[int] = frozenset(),
            shown: int = 3) -> Suggestions:
    """The pruned walk finds the exact top; everyone is ranked only when none of the top
    serves the seeker's area (to find the best who does, or the nearest). The card is drawn
    on every change of a waiting seeker, so this is most of its ranking."""
    pool = Pool(candidates, policy)
    past = {"reassigned": reassigned, "handed_back": handed_back}
    top = pool.rank(details, place, now, exclude, shown, **past)
    serving = top[0] if top and place.key is None else next((s for s in top if serves(s)), None)
    if serving is not None or not top:
        return Suggestions(tuple(top), serving, ())
    everyone = pool.rank(details, place, now, exclude, None, **past)
    serving = next((s for s in everyone if serves(s)), None)
    return Suggestions(tuple(top), serving, () if serving else tuple(nearest(everyone)))


def _order(s: Suggestion | None) -> tuple[float, int, int]:
    return (0.0, 0, 0) if s is None else (-s.score, s.load, s.member.id)


def nearest(suggestions: Iterable[Suggestion], limit: int = 3) -> list[Suggestion]:
    """For a seeker nobody serves: the eligible multipliers closest to them."""
    ordered = sorted(suggestions, key=lambda s: (s.closeness, s.distance_km is None,
                                                  s.distance_km or 0.0, _order(s)))
    return ordered[:limit]


def serves(suggestion: Suggestion) -> bool:
    return suggestion.closeness <= Closeness.WITHIN_TRAVEL
