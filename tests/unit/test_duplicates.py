"""Duplicate scoring: each rule, with its reasons; exact matches never create a second contact."""

import pytest

from domain.duplicates import (
    Reason,
    Stored,
    Strength,
    area_match,
    areas_like,
    detect,
    exact_match,
    name_similarity,
)
from domain.identity import canonical, fold_token, given_names, keys_for, name_blocks, name_key

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


# --- the meaner mix: nicknames, swapped order, the other script, a typo in the area ---------
MASHA = keys("Мария Петренко", phone="+380441234567", area="Kyiv Podil")


@pytest.mark.parametrize(("name", "area", "reasons"), [
    ("Маша Петренко", "Kyiv Podil", (R.SAME_NAME, R.SAME_AREA)),  # a nickname
    ("Masha Petrenko", "Kyiv Podil", (R.SAME_NAME, R.SAME_AREA)),  # nickname, other script
    ("Петренко Мария", "Kyiv Podil", (R.SAME_NAME, R.SAME_AREA)),  # swapped order
    ("Petrenko Mariya", "Київ Поділ", (R.SAME_NAME, R.SAME_AREA)),  # other script, both
    ("Мария Петренко", "Kyiv Podli", (R.SAME_NAME, R.SIMILAR_AREA)),  # a typo in the area
    ("Мария Петренко", "Kyiv-Podil", (R.SAME_NAME, R.SAME_AREA)),  # a hyphen for a space
    ("Марийка Петренко", "Kyiv Podil", (R.SAME_NAME, R.SAME_AREA)),  # a uk diminutive
    ("Petrenko", "Kyiv Podli", (R.SAME_NAME, R.SIMILAR_AREA)),  # family name alone, rare
    ("Маша Петренкл", "Kyiv Podil", (R.SIMILAR_NAME, R.SAME_AREA)),  # nickname and a typo
])
def test_the_errors_people_make_still_find_the_stored_seeker(name, area, reasons) -> None:  # type: ignore[no-untyped-def]
    [match] = detect(keys(name, phone="+380501111111", area=area), [Stored(7, MASHA)])
    assert (match.strength, match.reasons) == (Strength.SUSPECT, reasons)


@pytest.mark.parametrize(("name", "area"), [
    ("Мария", "Kyiv Podil"),  # a given name alone is too common
    ("Маша", "Kyiv Podil"),
    ("Олег Петренко", "Kyiv Podil"),  # another person of the family
    ("Мария Петренко", "Kyiv Obolon"),  # another area
    ("Мария Петренко", "Lviv Podil"),  # two typos away
    ("Petrenko", "Kyiv Obolon"),
])
def test_what_stays_apart(name, area) -> None:  # type: ignore[no-untyped-def]
    assert detect(keys(name, phone="+380501111111", area=area), [Stored(7, MASHA)]) == []


def test_a_common_family_name_alone_says_nothing() -> None:
    stored = [Stored(i, keys(f"{first} Petrenko", area="Kyiv Podil"))
              for i, first in enumerate(("Maria", "Oleg", "Anna"), start=1)]
    assert detect(keys("Petrenko", area="Kyiv Podil"), stored) == []
    assert [m.contact_id for m in detect(keys("Petrenko", area="Kyiv Podil"), stored[:2])] == [1, 2]


@pytest.mark.parametrize(("a", "b", "reason"), [
    ("kyiv podil", "kyiv podil", R.SAME_AREA),
    ("kyiv podil", "kiyiv podil", R.SAME_AREA),  # Київ folded
    ("kyiv podil", "kyiv podl", R.SIMILAR_AREA),
    ("rivne west", "rivne wets", R.SIMILAR_AREA),  # a swap across a fold (ts -> c)
    ("podil", "podol", R.SIMILAR_AREA),
    ("sumy", "sury", None),  # too short to tell a typo from another place
    ("kyiv north", "kyiv south", None),
    ("kyiv podil", "", None),
])
def test_area_match(a, b, reason) -> None:  # type: ignore[no-untyped-def]
    assert area_match(a, b) is reason


def test_areas_like_puts_the_typed_area_first_and_leaves_other_places_out() -> None:
    assert areas_like("kyiv podli", ["kyiv obolon", "kyiv podil", "lviv podil"]) == [
        "kyiv podli", "kyiv podil"]
    assert areas_like("", ["kyiv podil"]) == []


@pytest.mark.parametrize(("a", "b"), [
    ("Маша", "Мария"), ("Masha", "Mariya"), ("Sasha", "Александр"), ("Alex", "Alexander"),
    ("Лёша", "Алексей"), ("Дима", "Дмитро"), ("Bill", "William"), ("Liz", "Elizabeth"),
    ("Kate", "Katherine"), ("Bob", "Robert"), ("Mike", "Michael"), ("Вова", "Володимир"),
    ("Ксюша", "Оксана"), ("Женя", "Евгений"), ("Настя", "Анастасія"),
])
def test_a_nickname_is_its_full_name(a, b) -> None:  # type: ignore[no-untyped-def]
    assert name_similarity(name_key(f"{a} Petrenko"), name_key(f"Petrenko {b}")) == 1.0
    assert name_blocks(f"{a} Petrenko") == name_blocks(f"{b} Petrenko") or canonical(
        fold_token(a)) != fold_token(b)  # a short form blocks as the first full form of its line


def test_the_nickname_table_is_unambiguous() -> None:
    table = given_names()
    assert len(table) > 300
    assert all(v.full in table and not table[v.full].short for v in table.values())
