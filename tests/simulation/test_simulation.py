"""The simulator's short run (CI): three days of the team on a virtual clock, with the
invariants the rules promise, and the same seed giving the same table."""

import functools
import logging
from datetime import timedelta

import pytest

from bot.app import build_i18n
from bot.config import EXAMPLE_BOT_TOKEN, Settings
from domain.contacts import Status
from simulation.measure import explain, fallen_unheld, quiet_violations
from simulation.runner import START, simulate, variants
from simulation.world import Assembly, Log, Sent, Variant

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
    assert twin.quiet_violations == 0  # its pings go to readers with quiet hours


def test_quiet_hours_judge_when_the_bot_let_a_message_go_not_the_tick_that_delivered_it() -> None:
    """21:00-08:00 in Kyiv (UTC+2 in March): a ping the bot let go at 20:50 is handed over at
    the 21:00 tick and is no violation; one it let go at 21:10 is, as is a reminder at 03:00;
    an alarm to the team chat is allowed at any hour."""
    log = Log(START, START + timedelta(days=1), "Europe/Kyiv", "21:00-08:00")
    evening = START + timedelta(hours=21)  # 21:00 local on 03-02 (START is 00:00 local)
    log.sent = [
        Sent(evening, evening - timedelta(minutes=10), 1001, 1, "new_contact", 5, None, ()),
        Sent(evening + timedelta(minutes=30), evening + timedelta(minutes=10), 1001, 1,
             "new_contact", 6, None, ()),
        Sent(START + timedelta(hours=3), START + timedelta(hours=3), 3001, 9, "notice", 7,
             "nag:7:1", ()),
        Sent(evening, evening, -1001, None, "alarm", None, "undispatched:8:0", (8,)),
    ]
    assert quiet_violations(log) == 2


def test_compare_makes_one_variant_per_value() -> None:
    found = variants(["auto_dispatch=on,off", "offer_ttl=12"])
    assert [v.name for v in found] == ["auto_dispatch=on", "auto_dispatch=off", "offer_ttl=12"]
    assert [v.auto_dispatch for v in found] == [True, False, False]
    assert found[2].offer_ttl_hours == 12
    assert variants([]) == [Variant()]
    with pytest.raises(ValueError, match="--compare"):
        variants(["speed=fast"])


def test_explain_names_each_fallen_seeker_with_its_statuses_and_alarms() -> None:
    """`--explain`: who fell and why, from the run's log (no run needed)."""
    t0 = START
    hours = [t0 + timedelta(hours=h) for h in range(0, 80, 10)]
    log = Log(t0, t0 + timedelta(days=4), "Europe/Kyiv", "")
    log.arrived = {1: t0, 2: t0}
    log.samples = {1: [(h, Status.NEW if i < 6 else Status.ACCEPTED) for i, h in enumerate(hours)],
                   2: [(h, Status.NEW if i < 2 else Status.ACCEPTED) for i, h in enumerate(hours)]}
    told = t0 + timedelta(hours=50)  # too late for #1
    log.sent = [Sent(told, told, -1001, None, "alarm", None, "undispatched:1:0", (1,))]
    assert fallen_unheld(log) == [1]
    assert explain(log) == ("#1 arrived 03-01 22:00\n"
                            "  status: 03-01 22:00 new, 03-04 10:00 accepted\n"
                            "  told: 03-04 00:00")
