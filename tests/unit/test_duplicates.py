"""Duplicate scoring: each rule, with its reasons; exact matches never create a second contact."""

import pytest

from domain.duplicates import Reason, Stored, Strength, detect, exact_match, name_similarity
from domain.identity import keys_for

R = Reason


def keys(name="Maria Ivanova", phone=None, email=None, tg=None, tg_id=None, area=""):  # type: ignore[no-untyped-def]
    return keys_for(name, phone, email, tg, tg_id, area)


STORED = keys(phone="+380441234567", email="maria.ivanova@gmail.com", tg="maria_k", tg_id=42,
              area="Podil")


@pytest.mark.parametrize(("new", "strength", "reasons"), [
    # exact identifiers
    (keys(email="MariaIvanova+ads@gmail.com"), Strength.EXACT, (R.SAME_EMAIL,)),
    (keys("Someone Else", tg="@Maria_K"), Strength.EXACT, (R.SAME_USERNAME,)),
    (keys("Masha", tg_id=42), Strength.EXACT, (R.SAME_TG_ID,)),
    (keys("Мария Иванова", phone="+380441234567"), Strength.EXACT, (R.SAME_PHONE,)),
    (keys("Ivanova Maria", phone="+380441234567", email="maria.ivanova@gmail.com"),
     Strength.EXACT, (R.SAME_PHONE, R.SAME_EMAIL)),
    (keys("Maria", phone="+380441234567"), Strength.EXACT, (R.SAME_PHONE,)),  # first name only
    (keys("Mraia Ivanova", phone="+380441234567"), Strength.EXACT, (R.SAME_PHONE,)),  # typo
    # a family phone: same number, another person
    (keys("Oleg Ivanov", phone="+380441234567"), Strength.SUSPECT,
     (R.SAME_PHONE, R.DIFFERENT_NAME)),
    # fuzzy: similar name plus area or phone ending
    (keys("Мария Иванова", phone="+380501111111", area="Подил"), Strength.SUSPECT,
     (R.SAME_NAME, R.SAME_AREA)),
    (keys("Maria Ivanva", phone="+380501111111", area="podil"), Strength.SUSPECT,
     (R.SIMILAR_NAME, R.SAME_AREA)),
    (keys("Maria Ivanova", phone="+79441234567"), Strength.SUSPECT,
     (R.SAME_NAME, R.SAME_PHONE_ENDING)),
    # nothing links them
    (keys("Maria Ivanova", phone="+380501111111", area="Obolon"), None, ()),
    (keys("Daria Petrenko", phone="+380501111111", area="Podil"), None, ()),
])
def test_each_rule_scores_with_its_reasons(new, strength, reasons) -> None:  # type: ignore[no-untyped-def]
    matches = detect(new, [Stored(7, STORED)])
    if strength is None:
        assert matches == []
        return
    [match] = matches
    assert (match.contact_id, match.strength, match.reasons) == (7, strength, reasons)
    assert 0 < match.score <= 100


def test_exact_matches_come_first_and_the_new_record_itself_is_excluded() -> None:
    stored = [Stored(3, keys(area="Podil", phone="+380501111111")),
              Stored(5, keys("Maria Ivanova", email="m@x.org")), Stored(9, STORED)]
    matches = detect(keys(email="M@X.org", area="Podil"), stored, exclude=9)
    assert [(m.contact_id, m.strength) for m in matches] == [
        (5, Strength.EXACT), (3, Strength.SUSPECT)]
    assert exact_match(matches).contact_id == 5


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("ivanova maria", "ivanova maria", 1.0, 1.0),
    ("ivanova maria", "maria", 1.0, 1.0),
    ("ivanov oleg", "ivanova maria", 0.0, 0.5),
    ("daria ivanova", "ivanova maria", 0.7, 0.85),  # mother and daughter: a person decides
    ("ivanova maria", "ivnaova maria", 0.85, 0.9),  # one transposition
    ("", "maria", 0.0, 0.0),
])
def test_name_similarity(a, b, low, high) -> None:  # type: ignore[no-untyped-def]
    assert low <= name_similarity(a, b) <= high
