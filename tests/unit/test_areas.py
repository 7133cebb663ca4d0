import pytest

from domain.areas import Area, AreaMap, area_key, haversine_km, parse_coordinates
from domain.translit import fold

KYIV = AreaMap({
    "podil": Area("podil", "Podil", "Kyiv", aliases=frozenset({"podol"})),
    "obolon": Area("obolon", "Obolon", "Kyiv"),
    "pechersk": Area("pechersk", "Pechersk", "Kyiv"),
    "troieshchyna": Area("troieshchyna", "Troieshchyna", "Kyiv"),
})


@pytest.mark.parametrize(("text", "folded"), [
    ("Мария Иванова", "mariya ivanova"),
    ("Подiл", "podil"),  # a Latin i inside Cyrillic, as people type
    ("Оболонь", "obolon"),
    ("  São   Paulo! ", "sao paulo"),
    ("Їжак Ґудзик", "yizhak gudzik"),
])
def test_fold_transliterates_and_normalises(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(("text", "key", "guesses"), [
    ("Podil", "podil", ()),
    ("Подол", "podil", ()),  # an alias, in Cyrillic
    ("Оболонь", "obolon", ()),
    ("Печерск", "pechersk", ()),
    ("Троещина", None, ("troieshchyna",)),  # close, not sure: offered as a guess
    ("Obolonn", "obolon", ()),  # a typo
    ("Podil district", "podil", ()),
    ("Pdl", None, ("podil",)),  # not sure: the dispatcher is asked
    ("Kharkiv", None, ()),  # unknown: flagged, no guess
    ("", None, ()),
])
def test_resolve_maps_free_text_to_a_known_area(text: str, key: str | None,
                                                 guesses: tuple[str, ...]) -> None:
    result = KYIV.resolve(text)
    assert (result.key, result.guesses) == (key, guesses)


def test_without_a_list_places_compare_as_typed_and_folded() -> None:
    assert AreaMap().resolve("Подол").key == "podol"


def test_neighbours_and_distances() -> None:
    areas = AreaMap({"a": Area("a", "A", lat=50.45, lon=30.52), "b": Area("b", "B", lat=49.84, lon=24.03),
                     "c": Area("c", "C")}, frozenset({frozenset({"a", "c"})}))
    assert areas.neighbours("a") == {"c"} and areas.neighbours("c") == {"a"}
    assert areas.distance_km("a", "b") == pytest.approx(469, abs=3)  # Kyiv - Lviv
    assert areas.distance_km("a", "c") is None
    assert haversine_km(0, 0, 0, 0) == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("50.46, 30.52", (50.46, 30.52)), ("50.46;30.52", (50.46, 30.52)),
    ("91, 0", None), ("a, b", None), ("50.4", None),
])
def test_parse_coordinates(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_coordinates(text) == expected


@pytest.mark.parametrize(("text", "key"), [
    ("Здравствуйте, я из Оболони", "obolon"),  # an inflected alias
    ("I live in Obolon.", "obolon"),
    ("живу на Оболоні", "obolon"),  # Ukrainian
    ("Подол и Оболонь", None),  # two areas: no guess
    ("Hello, I saw your ad", None),
    ("Obo", None),
])
def test_a_place_mentioned_in_a_seekers_words(text: str, key: str | None) -> None:
    areas = AreaMap({"obolon": Area("obolon", "Obolon", aliases=frozenset({area_key("Оболонь")})),
                     "podil": Area("podil", "Podil", aliases=frozenset({area_key("Подол")}))})
    assert areas.mentioned(text) == key
