from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import ContactDetails
from domain.matching import Candidate, Reason, rank
from domain.members import Availability, Gender, Member, Profile
from domain.roles import Role

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def multiplier(id_: int, **profile) -> Member:  # type: ignore[no-untyped-def]
    return Member(id=id_, tg_user_id=id_, name=f"M{id_}", roles=frozenset({Role.MULTIPLIER}),
                  profile=Profile(**profile))


MARIA = ContactDetails(name="Maria Ivanova", gender=Gender.FEMALE, language="ru", area="Podil")


def test_language_gender_area_rank_first_with_reasons() -> None:
    best = multiplier(1, gender=Gender.FEMALE, languages=frozenset({"ru"}), areas=frozenset({"podil"}))
    other = multiplier(2, gender=Gender.MALE, languages=frozenset({"uk"}))
    result = rank(MARIA, [Candidate(other, 0), Candidate(best, 0)], NOW)
    assert [s.member.id for s in result] == [1, 2]
    assert result[0].reasons == (Reason.SPEAKS_LANGUAGE, Reason.SAME_GENDER, Reason.SAME_AREA,
                                 Reason.LOAD, Reason.AVAILABLE)
    assert Reason.SPEAKS_LANGUAGE not in result[1].reasons


@pytest.mark.parametrize("profile, load, roles, active", [
    ({"capacity": 2}, 2, {Role.MULTIPLIER}, True),  # full
    ({"availability": Availability.BUSY}, 0, {Role.MULTIPLIER}, True),
    ({"availability": Availability.AWAY, "away_until": NOW + timedelta(days=1)}, 0, {Role.MULTIPLIER}, True),
    ({}, 0, {Role.OPERATOR}, True),  # not a multiplier
    ({}, 0, {Role.MULTIPLIER}, False),  # deactivated
])
def test_hard_rules_exclude(profile, load, roles, active) -> None:  # type: ignore[no-untyped-def]
    member = Member(id=1, tg_user_id=1, name="X", roles=frozenset(roles), active=active,
                    profile=Profile(**profile))
    assert rank(MARIA, [Candidate(member, load)], NOW) == []


def test_away_ends_by_itself_on_its_date() -> None:
    member = multiplier(1, availability=Availability.AWAY, away_until=NOW - timedelta(hours=1))
    assert [s.member.id for s in rank(MARIA, [Candidate(member, 0)], NOW)] == [1]


def test_lower_load_wins_a_tie_and_excluded_and_limit_apply() -> None:
    members = [multiplier(i, capacity=5) for i in range(1, 6)]
    candidates = [Candidate(m, load) for m, load in zip(members, [3, 1, 2, 0, 4])]
    result = rank(MARIA, candidates, NOW, exclude=frozenset({4}))
    assert [s.member.id for s in result] == [2, 3, 1]
