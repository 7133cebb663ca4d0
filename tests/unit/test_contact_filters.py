"""/contacts filter words, their meaning, and the code a paging button carries instead."""

import pytest

from domain.areas import Area, AreaMap, key_tag
from domain.contact_filters import (
    OPEN,
    AmbiguousFilterWord,
    ContactFilter,
    FilterWords,
    UnknownFilterWord,
    area_of_tag,
    clamp_page,
    decode,
    encode,
    pages,
    parse_words,
    resolve,
)
from domain.contacts import ASSIGNED_STATUSES, Status
from domain.errors import InvalidInput
from domain.members import Member
from domain.numbers import DB_INT_MAX
from domain.roles import Role
from views.callbacks import ContactPage

ANNA = Member(7, 201, "Anna Petrova", frozenset({Role.MULTIPLIER}), username="anna_p")
OLGA = Member(8, 202, "Olga", frozenset({Role.MULTIPLIER}))
AREAS = AreaMap({"podil": Area("podil", "Podil", aliases=frozenset({"podol"})),
                 "obolon": Area("obolon", "Obolon")})


@pytest.mark.parametrize("text, words", [
    ("", FilterWords()),
    ("reached", FilterWords(stages=frozenset({Status.REACHED}))),
    ("Reached MET", FilterWords(stages=frozenset({Status.REACHED, Status.MET}))),
    ("could-not-reach", FilterWords(stages=frozenset({Status.COULD_NOT_REACH}))),
    ("meeting waiting", FilterWords(stages=frozenset({Status.MEETING_SCHEDULED, Status.NEW}))),
    ("assigned", FilterWords(stages=frozenset(ASSIGNED_STATUSES))),
    ("overdue anna", FilterWords(overdue=True, names=("anna",))),
    ("source:CSV", FilterWords(source="csv")),
    ("source:лиды-весна.csv", FilterWords(source="лиды-в")),  # 12 bytes, whole letters
    ("anna podil", FilterWords(names=("anna", "podil"))),
])
def test_words_are_read_as_stages_overdue_source_or_names(text: str, words: FilterWords) -> None:
    assert parse_words(text) == words


@pytest.mark.parametrize("text, expected", [
    ("anna", ContactFilter(multiplier_id=7)),
    ("@ANNA_P", ContactFilter(multiplier_id=7)),
    ("olga reached", ContactFilter(stages=frozenset({Status.REACHED}), multiplier_id=8)),
    ("podol", ContactFilter(area_key="podil")),  # another spelling of the area
    ("anna obolon overdue", ContactFilter(multiplier_id=7, area_key="obolon", overdue=True)),
])
def test_names_are_multipliers_first_then_areas(text: str, expected: ContactFilter) -> None:
    assert resolve(parse_words(text), [ANNA, OLGA], AREAS) == expected


def test_an_unknown_word_and_an_ambiguous_name_are_refused_by_name() -> None:
    with pytest.raises(UnknownFilterWord) as unknown:
        resolve(parse_words("reached xyz"), [ANNA], AREAS)
    assert unknown.value.detail == "xyz"
    other_anna = Member(9, 203, "Anna Kim", frozenset({Role.MULTIPLIER}))
    with pytest.raises(AmbiguousFilterWord):
        resolve(parse_words("anna"), [ANNA, other_anna], AREAS)
    # without an area list places compare as typed, as intake stores them
    assert resolve(parse_words("xyz"), [], AreaMap()).area_key == "xyz"


def test_no_stage_word_means_every_open_contact() -> None:
    assert ContactFilter().statuses == OPEN
    assert Status.CLOSED not in OPEN and Status.MERGED not in OPEN


@pytest.mark.parametrize("flt", [
    ContactFilter(),
    ContactFilter(stages=frozenset({Status.REACHED})),
    ContactFilter(stages=frozenset(Status), multiplier_id=12, area_key="podil", overdue=True,
                  source="leads.csv"),
    ContactFilter(source="лиды"),
    ContactFilter(batch_id=40),
])
def test_a_code_reads_back_as_the_filter_it_was_made_of(flt: ContactFilter) -> None:
    code = encode(flt)
    assert ":" not in code
    assert decode(code).filter == flt and decode(code).area_tag is None


def test_a_long_area_key_travels_as_a_tag_found_on_the_list() -> None:
    long_key = "kyiv_north_left_bank"
    areas = AreaMap({long_key: Area(long_key, "Kyiv North Left Bank")})
    decoded = decode(encode(ContactFilter(area_key=long_key)))
    assert decoded.area_tag == key_tag(long_key) and decoded.filter.area_key is None
    assert area_of_tag(decoded.area_tag, areas) == long_key
    assert area_of_tag(decoded.area_tag, AREAS) is None


def test_the_largest_filter_still_fits_a_buttons_64_bytes() -> None:
    worst = ContactFilter(stages=frozenset(Status), multiplier_id=DB_INT_MAX,
                          area_key="x" * 100, overdue=True, source=parse_words(
                              "source:" + "я" * 40).source)
    assert len(ContactPage(code=encode(worst), page=99_999).pack().encode()) <= 64


@pytest.mark.parametrize("code", [
    "", "zz", "s", "s0", "s%x" % (1 << len(Status)), "sg", "m", "m-1", "m1.m2",
    "m%d" % (DB_INT_MAX + 1), "a123", "aABCDEF0123", "qz", "q", "q!!", "o1", "k", "b1x",
    "a0123456789.kcG9kaWw", "s1..o", "-.s1",
])
def test_a_code_encode_cannot_have_made_is_refused(code: str) -> None:
    with pytest.raises(InvalidInput):
        decode(code)


def test_pages_and_a_page_past_the_end() -> None:
    assert (pages(0), pages(10), pages(11), pages(25)) == (1, 1, 2, 3)
    assert (clamp_page(0, 0), clamp_page(5, 25), clamp_page(2, 25), clamp_page(-1, 25)) == (
        0, 2, 2, 0)
