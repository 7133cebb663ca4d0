"""Numbers, zones and periods people type, and ids buttons carry, read one way: ASCII digits
within a range the rule and the database can hold; anything else is a clear refusal, never a
crash ("²".isdigit() is True, int("²") raises; 9999-12-31 plus a day overflows)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput
from domain.match_settings import apply_setting
from domain.matching import MatchPolicy
from domain.numbers import DB_INT_MAX, parse_id, parse_int
from domain.reports import parse_period
from domain.timing import parse_zone
from views.callbacks import OfferTo, Stage, is_well_formed

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("7", 7), (" 12 ", 12), ("010", 10)])
def test_ascii_digits_in_range_are_read(text: str, value: int) -> None:
    assert parse_int(text, 0, 100) == value


@pytest.mark.parametrize("text", ["²", "³", "١٢", "１２", "-1", "+3", "1.5", "", "101",
                                  "9" * 30, "1_0", "12a"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_int(text, 0, 100)


@pytest.mark.parametrize("text", ["0", "99999999999999999999", str(DB_INT_MAX + 1), "²"])
def test_ids_stay_within_the_database_integer(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_id(text)
    assert parse_id(str(DB_INT_MAX)) == DB_INT_MAX


@pytest.mark.parametrize(("name", "value"), [("tries", "²"), ("fairness_days", "³"),
                                             ("tries", "9" * 40)])
def test_matching_numbers_refuse_superscripts(name: str, value: str) -> None:
    with pytest.raises(InvalidInput):
        apply_setting(MatchPolicy(), name, value)


@pytest.mark.parametrize("text", ["²", "²d", "9999-12-31 9999-12-31", "0001-01-01 0001-01-01",
                                  "99999999999999999999", "9" * 5000])
def test_periods_that_overflow_or_are_not_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(text, NOW, KYIV)


@pytest.mark.parametrize("text", ["Europe", "Europe/", "x" * 300, "", "../etc/passwd",
                                  "Europe/Kyiv\x00"])
def test_a_zone_is_a_zone_file_not_a_folder_or_a_long_name(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_zone(text)
    assert parse_zone(" Europe/Kyiv ") == "Europe/Kyiv"


@pytest.mark.parametrize("data", [f"offer:{DB_INT_MAX + 1}:1", f"offer:1:{2 ** 64}",
                                  "offer:-1:1", "offer:²:1", f"stage:{2 ** 63}:reached"])
def test_button_ids_beyond_the_database_integer_are_malformed(data: str) -> None:
    assert not is_well_formed(data)
    assert OfferTo.unpack(f"offer:{DB_INT_MAX}:1").contact_id == DB_INT_MAX
    assert Stage.unpack("stage:1:reached").contact_id == 1
