import pytest

from domain.errors import InvalidInput
from domain.match_settings import apply_setting
from domain.matching import GenderRule, MatchPolicy


@pytest.mark.parametrize(("name", "value", "check"), [
    ("gender", "required", lambda p: p.gender_rule is GenderRule.REQUIRED),
    ("Gender", " Ignored ", lambda p: p.gender_rule is GenderRule.IGNORED),
    ("fallback", "en, ru", lambda p: p.fallback_languages == {"en", "ru"}),
    ("fallback", "-", lambda p: p.fallback_languages == frozenset()),
    ("auto", "on", lambda p: p.auto_dispatch),
    ("tries", "5", lambda p: p.auto_tries == 5),
    ("fairness_days", "7", lambda p: p.fairness_days == 7),
    ("same_area", "6.5", lambda p: p.weights.same_area == 6.5),
    ("reliability", "0", lambda p: p.weights.reliability == 0),
])
def test_settings_change_the_policy(name: str, value: str, check) -> None:  # type: ignore[no-untyped-def]
    assert check(apply_setting(MatchPolicy(), name, value))


@pytest.mark.parametrize(("name", "value"), [
    ("gender", "sometimes"), ("fallback", "e1"), ("auto", "maybe"), ("tries", "0"),
    ("tries", "11"), ("same_area", "-1"), ("same_area", "1e9"), ("same_area", "x"),
    ("colour", "red"), ("fairness_days", "366"),
])
def test_bad_settings_are_refused(name: str, value: str) -> None:
    with pytest.raises(InvalidInput):
        apply_setting(MatchPolicy(), name, value)
