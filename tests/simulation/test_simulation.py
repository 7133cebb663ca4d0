"""The simulator's short run (CI): three days of the team on a virtual clock, with the
invariants the rules promise, and the same seed giving the same table."""

import functools
import logging

import pytest

from bot.app import build_i18n
from bot.config import EXAMPLE_BOT_TOKEN, Settings
from simulation.runner import simulate, variants
from simulation.world import Assembly, Variant

ASSEMBLY = Assembly(functools.partial(Settings, _env_file=None, bot_token=EXAMPLE_BOT_TOKEN,
                                      log_format="text"), build_i18n)


@pytest.fixture(autouse=True)
def _quiet_logs():  # type: ignore[no-untyped-def]
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


async def test_three_days_nobody_falls_through_the_cracks() -> None:
    _text, columns = await simulate(ASSEMBLY, days=3, seed=1, compare=[], chart_path=None,
                                    realtime=False)
    (_name, f, _twin), = columns
    assert f.seekers >= 40
    assert f.offers > 0 and f.first_attempt_median_h is not None
    assert f.fallen == 0
    assert f.quiet_violations == 0
    assert f.inconsistent == 0


async def test_same_seed_prints_the_same_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, _ = await simulate(ASSEMBLY, days=1, seed=7, compare=[], chart_path=tmp_path / "a.png",
                              realtime=False)
    second, _ = await simulate(ASSEMBLY, days=1, seed=7, compare=[], chart_path=None,
                               realtime=False)
    assert first == second
    assert "FALLEN THROUGH THE CRACKS" in first
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"


async def test_the_real_time_twin_runs_beside_and_tells_the_same_people() -> None:
    """The twin runs in a forked process: its column comes back, for the same seekers."""
    _text, columns = await simulate(ASSEMBLY, days=1, seed=7, compare=[], chart_path=None,
                                    realtime=True)
    (_name, digest, twin), = columns
    assert twin is not None
    assert twin.seekers == digest.seekers
    assert twin.dispatcher_messages_day > 0


def test_compare_makes_one_variant_per_value() -> None:
    found = variants(["auto_dispatch=on,off", "offer_ttl=12"])
    assert [v.name for v in found] == ["auto_dispatch=on", "auto_dispatch=off", "offer_ttl=12"]
    assert [v.auto_dispatch for v in found] == [True, False, False]
    assert found[2].offer_ttl_hours == 12
    assert variants([]) == [Variant()]
    with pytest.raises(ValueError, match="--compare"):
        variants(["speed=fast"])
