"""Matching rules and weights, table-driven; and the fast ranking against the full explanation."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.areas import Area, AreaMap, Closeness
from domain.contacts import ContactDetails
from domain.matching import (
    Candidate,
    Exclusion,
    GenderRule,
    MatchPolicy,
    Place,
    Reason,
    Weights,
    exclusion,
    explain,
    handed_back_penalty,
    nearest,
    rank,
    serves,
    suggest,
)
from domain.members import Availability, Gender, Member, Profile
from domain.reliability import Track
from domain.roles import Role

NOW = datetime(2026, 11, 26, tzinfo=UTC)
KYIV = AreaMap(
    {
        "podil": Area("podil", "Podil", "Kyiv", 50.465, 30.515),
        "obolon": Area("obolon", "Obolon", "Kyiv", 50.50, 30.50),
        "darnytsia": Area("darnytsia", "Darnytsia", "Kyiv", 50.43, 30.63),  # ~9 km from Podil
        "lviv": Area("lviv", "Lviv", "Lviv", 49.84, 24.03),
        "nowhere": Area("nowhere", "Nowhere"),
    },
    frozenset({frozenset({"podil", "obolon"})}),
)
PODIL = Place("podil", KYIV)
MARIA = ContactDetails(name="Maria Ivanova", gender=Gender.FEMALE, language="ru", area="Podil")
POLICY = MatchPolicy()
NO_TRACK = Track()


def multiplier(id_: int, roles=frozenset({Role.MULTIPLIER}), active=True, unreachable=None,
               **profile) -> Member:  # type: ignore[no-untyped-def]
    profile.setdefault("languages", frozenset({"ru"}))
    return Member(id=id_, tg_user_id=id_, name=f"M{id_}", roles=roles, active=active,
                  unreachable_at=unreachable, profile=Profile(**profile))


@pytest.mark.parametrize(("member", "load", "policy", "expected"), [
    (multiplier(1), 0, POLICY, None),
    (multiplier(1, roles=frozenset({Role.OPERATOR})), 0, POLICY, Exclusion.NOT_ACTIVE),
    (multiplier(1, active=False), 0, POLICY, Exclusion.NOT_ACTIVE),
    (multiplier(1, unreachable=NOW), 0, POLICY, Exclusion.UNREACHABLE),
    (multiplier(1, availability=Availability.BUSY), 0, POLICY, Exclusion.BUSY),
    (multiplier(1, availability=Availability.AWAY, away_until=NOW + timedelta(days=1)), 0, POLICY,
     Exclusion.AWAY),
    (multiplier(1, availability=Availability.AWAY, away_until=NOW - timedelta(days=1)), 0, POLICY,
     None),  # away ends by itself
    (multiplier(1, capacity=3), 3, POLICY, Exclusion.FULL),
    (multiplier(1, capacity=3), 2, POLICY, None),
    (multiplier(1, languages=frozenset({"uk"})), 0, POLICY, Exclusion.LANGUAGE),
    (multiplier(1, languages=frozenset({"en"})), 0,
     replace(POLICY, fallback_languages=frozenset({"en"})), None),
    (multiplier(1, gender=Gender.MALE), 0, replace(POLICY, gender_rule=GenderRule.REQUIRED),
     Exclusion.GENDER),
    (multiplier(1, gender=Gender.MALE), 0, POLICY, None),  # preferred: scored, not excluded
    (multiplier(1, gender=Gender.FEMALE), 0, replace(POLICY, gender_rule=GenderRule.REQUIRED),
     None),
])
def test_hard_rules(member: Member, load: int, policy: MatchPolicy, expected: Exclusion | None) -> None:
    assert exclusion(MARIA, Candidate(member, load), NOW, policy) == expected


def test_required_gender_lets_anyone_take_a_seeker_of_unknown_gender() -> None:
    policy = replace(POLICY, gender_rule=GenderRule.REQUIRED)
    seeker = replace(MARIA, gender=Gender.UNKNOWN)
    assert exclusion(seeker, Candidate(multiplier(1, gender=Gender.MALE), 0), NOW, policy) is None


def _one(member: Member, policy: MatchPolicy = POLICY, place: Place = PODIL, load: int = 0,
         track: Track = NO_TRACK, details: ContactDetails = MARIA):  # type: ignore[no-untyped-def]
    [suggestion] = rank(details, place, [Candidate(member, load, track)], NOW, policy)
    return suggestion


@pytest.mark.parametrize(("areas", "travel", "closeness", "reason"), [
    ({"podil"}, 0, Closeness.SAME, Reason.SAME_AREA),
    ({"obolon"}, 0, Closeness.NEIGHBOUR, Reason.NEIGHBOUR_AREA),
    ({"darnytsia"}, 20, Closeness.WITHIN_TRAVEL, Reason.WITHIN_TRAVEL),
    ({"darnytsia"}, 5, Closeness.FAR, None),
    ({"lviv", "obolon"}, 0, Closeness.NEIGHBOUR, Reason.NEIGHBOUR_AREA),  # the best area counts
    ({"nowhere"}, 500, Closeness.FAR, None),  # known, not a neighbour, no coordinates
    ({"atlantis"}, 500, Closeness.UNKNOWN, None),  # not on the list at all
])
def test_area_closeness(areas: set[str], travel: int, closeness: Closeness,
                        reason: Reason | None) -> None:
    s = _one(multiplier(1, areas=frozenset(areas), travel_km=travel))
    assert s.closeness is closeness
    if reason:
        assert reason in s.reasons


@pytest.mark.parametrize(("weight", "better", "worse"), [
    ("same_area", {"areas": frozenset({"podil"})}, {"areas": frozenset({"lviv"})}),
    ("neighbour_area", {"areas": frozenset({"obolon"})}, {"areas": frozenset({"lviv"})}),
    ("within_travel", {"areas": frozenset({"darnytsia"}), "travel_km": 20},
     {"areas": frozenset({"darnytsia"}), "travel_km": 0}),
    ("own_language", {"languages": frozenset({"ru"})}, {"languages": frozenset({"en"})}),
    ("gender", {"gender": Gender.FEMALE}, {"gender": Gender.MALE}),
])
def test_each_weight_adds_exactly_its_value(weight: str, better: dict, worse: dict) -> None:
    policy = replace(POLICY, fallback_languages=frozenset({"en"}))
    gap = _one(multiplier(1, **better), policy).score - _one(multiplier(2, **worse), policy).score
    assert gap == pytest.approx(getattr(policy.weights, weight))
    zero = replace(policy, weights=replace(policy.weights, **{weight: 0.0}))
    assert _one(multiplier(1, **better), zero).score == pytest.approx(
        _one(multiplier(2, **worse), zero).score)


def test_free_capacity_reliability_and_fairness_scale_their_weights() -> None:
    w = Weights()
    member = multiplier(1, capacity=4)
    assert _one(member, load=0).score - _one(member, load=2).score == pytest.approx(w.free_capacity / 2)
    recent = Track(last_offer_at=NOW - timedelta(days=7))
    assert _one(member).score - _one(member, track=recent).score == pytest.approx(w.fairness / 2)
    good = Track(offers=10, accepted=10, judged=10, in_time=10, median_answer=timedelta(minutes=30))
    bad = Track(offers=10, accepted=1, judged=1, in_time=0, recent_escalations=2)
    assert _one(member, track=good).score > _one(member, track=bad).score + w.reliability / 2


def test_the_faithful_multiplier_ranks_first_and_says_why() -> None:
    faithful = Candidate(multiplier(1), 0, Track(offers=10, accepted=9, judged=8, in_time=8,
                                                 median_answer=timedelta(hours=1)))
    flaky = Candidate(multiplier(2), 0, Track(offers=10, accepted=3, judged=3, in_time=1,
                                              recent_nags=3))
    result = rank(MARIA, PODIL, [flaky, faithful], NOW, POLICY)
    assert [s.member.id for s in result] == [1, 2]
    assert Reason.RELIABLE in result[0].reasons and Reason.RELIABLE not in result[1].reasons


def test_ties_go_to_the_less_loaded_then_the_longer_standing() -> None:
    members = [Candidate(multiplier(i, capacity=10), load) for i, load in [(3, 1), (2, 1), (1, 2)]]
    policy = replace(POLICY, weights=replace(Weights(), free_capacity=0.0))
    assert [s.member.id for s in rank(MARIA, PODIL, members, NOW, policy)] == [2, 3, 1]


def test_explain_gives_every_excluded_multiplier_a_reason() -> None:
    anna = Candidate(multiplier(1, availability=Availability.BUSY), 0)
    olga = Candidate(multiplier(2, capacity=1), 1)
    ivan = Candidate(multiplier(3), 0)
    asked = Candidate(multiplier(4), 0)
    verdicts = explain(MARIA, PODIL, [anna, olga, ivan, asked], NOW, POLICY, exclude=frozenset({4}))
    assert [(v.candidate.member.id, v.exclusion) for v in verdicts] == [
        (3, None), (1, Exclusion.BUSY), (2, Exclusion.FULL), (4, Exclusion.ALREADY_ASKED)]


def test_nearest_orders_by_closeness_then_distance() -> None:
    members = [Candidate(multiplier(1, areas=frozenset({"lviv"})), 0),
               Candidate(multiplier(2, areas=frozenset({"darnytsia"})), 0),
               Candidate(multiplier(3, areas=frozenset({"obolon"})), 0)]
    result = nearest(rank(MARIA, PODIL, members, NOW, POLICY, limit=None))
    assert [s.member.id for s in result] == [3, 2, 1]


def _random_pool(rnd: random.Random, n: int) -> list[Candidate]:
    keys = list(KYIV.areas)
    pool = []
    for i in range(n):
        profile = {"gender": rnd.choice(list(Gender)),
                       "languages": frozenset(rnd.sample(["ru", "uk", "en"], rnd.randint(1, 2))),
                       "areas": frozenset(rnd.sample(keys, rnd.randint(0, 2))),
                       "capacity": rnd.randint(1, 6), "travel_km": rnd.choice([0, 10, 1000])}
        track = Track(offers=rnd.randint(0, 9), accepted=rnd.randint(0, 3),
                      last_offer_at=rnd.choice([None, NOW - timedelta(days=rnd.randint(0, 30))]))
        pool.append(Candidate(multiplier(i, **profile), rnd.randint(0, 6), track))
    return pool


@pytest.mark.parametrize("seed", range(40))
def test_the_pruned_ranking_equals_the_full_explanation(seed: int) -> None:
    """Pool.rank stops early; it must still return exactly the top of judging everyone."""
    rnd = random.Random(seed)
    pool = _random_pool(rnd, rnd.randint(0, 60))
    place = Place(rnd.choice([*KYIV.areas, None]), KYIV)
    policy = replace(POLICY, gender_rule=rnd.choice(list(GenderRule)),
                     weights=Weights(same_area=rnd.choice([0.0, 4.0]), fairness=rnd.random() * 3))
    details = replace(MARIA, gender=rnd.choice(list(Gender)), language=rnd.choice(["ru", "uk", ""]))
    exclude = frozenset(rnd.sample(range(60), 5))
    past = {"reassigned": frozenset(rnd.sample(range(60), 3)),
            "handed_back": frozenset(rnd.sample(range(60), 8))}
    limit = rnd.choice([1, 3, 5])
    full = [v.suggestion for v in explain(details, place, pool, NOW, policy, exclude, **past)
            if v.suggestion][:limit]
    fast = rank(details, place, pool, NOW, policy, exclude, limit, **past)
    assert [(s.member.id, s.score) for s in fast] == [(s.member.id, s.score) for s in full]


@pytest.mark.parametrize("seed", range(40))
def test_the_cards_suggestions_equal_those_of_ranking_everyone(seed: int) -> None:
    """`suggest` ranks everyone only when the top serves nobody's area; what it shows must be
    what ranking everyone shows: the top three, the best who serves, else the nearest."""
    rnd = random.Random(seed)
    pool = _random_pool(rnd, rnd.randint(0, 60))
    place = Place(rnd.choice([*KYIV.areas, None]), KYIV)
    details = replace(MARIA, language=rnd.choice(["ru", "uk", ""]))
    exclude = frozenset(rnd.sample(range(60), 5))
    past = {"reassigned": frozenset(rnd.sample(range(60), 3)),
            "handed_back": frozenset(rnd.sample(range(60), 8))}
    everyone = rank(details, place, pool, NOW, POLICY, exclude, None, **past)
    serving = everyone if place.key is None else [s for s in everyone if serves(s)]
    shown = suggest(details, place, pool, NOW, POLICY, exclude, **past)
    assert [s.member.id for s in shown.top] == [s.member.id for s in everyone[:3]]
    assert (shown.best_serving.member.id if shown.best_serving else None) == \
        (serving[0].member.id if serving else None)
    assert [s.member.id for s in shown.nearest] == \
        ([s.member.id for s in nearest(everyone)] if everyone and not serving else [])


# ---------------------------------------------------------------------- the seeker's history


def test_someone_reassigned_away_is_not_suggested_again_and_why_not_says_so() -> None:
    anna, olga = Candidate(multiplier(1, areas=frozenset({"podil"})), 0), Candidate(multiplier(2), 0)
    assert [s.member.id for s in rank(MARIA, PODIL, [anna, olga], NOW, POLICY,
                                      reassigned=frozenset({1}))] == [2]
    verdicts = explain(MARIA, PODIL, [anna, olga], NOW, POLICY, reassigned=frozenset({1}))
    assert [(v.candidate.member.id, v.exclusion) for v in verdicts] == [
        (2, None), (1, Exclusion.REASSIGNED)]


@pytest.mark.parametrize("weights", [
    Weights(),
    Weights(same_area=100.0, own_language=100.0, gender=100.0, free_capacity=100.0,
            reliability=100.0, fairness=100.0),
    Weights(same_area=0.0, neighbour_area=0.0, within_travel=0.0, own_language=0.0, gender=0.0,
            free_capacity=0.0, reliability=0.0, fairness=0.0),
])
def test_whoever_handed_the_seeker_back_ranks_after_everyone_else(weights: Weights) -> None:
    """The best match by far (same area, same language and gender, reliable, idle) still
    comes after a poor one who never handed this seeker back, whatever the weights."""
    best = Candidate(multiplier(1, areas=frozenset({"podil"}), gender=Gender.FEMALE), 0,
                     Track(offers=10, accepted=10, judged=10, in_time=10))
    poor = Candidate(multiplier(2, languages=frozenset({"en"}), capacity=5), 4,
                     Track(offers=10, accepted=1, last_offer_at=NOW))
    policy = replace(POLICY, weights=weights, fallback_languages=frozenset({"en"}))
    result = rank(MARIA, PODIL, [best, poor], NOW, policy, handed_back=frozenset({1}))
    assert [s.member.id for s in result] == [2, 1]
    assert result[1].reasons[0] is Reason.HANDED_BACK and Reason.HANDED_BACK not in result[0].reasons
    assert result[1].score < result[0].score


def test_the_hand_back_penalty_outweighs_any_score() -> None:
    weights = Weights(same_area=7.0, neighbour_area=9.0, own_language=2.0)
    policy = replace(POLICY, weights=weights)
    assert handed_back_penalty(policy) > 9.0 + 2.0 + weights.gender + weights.free_capacity \
        + weights.reliability + weights.fairness


def test_someone_who_handed_back_is_still_suggested_when_nobody_else_can() -> None:
    anna = Candidate(multiplier(1, areas=frozenset({"podil"})), 0)
    assert [s.member.id for s in rank(MARIA, PODIL, [anna], NOW, POLICY,
                                      handed_back=frozenset({1}))] == [1]
