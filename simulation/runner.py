"""`dispatchbot simulate`: run the variants on the same people, print one table, draw a chart."""

import asyncio
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from simulation.measure import Figures, figures
from simulation.people import draw
from simulation.report import chart, table
from simulation.world import Assembly, Log, Variant, World

#: A Monday, 00:00 in the team's zone (Europe/Kyiv): the month includes the DST change.
START = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
#: What `--compare NAME=a,b` may vary, and how a value is read.
KNOBS = {
    "auto_dispatch": lambda v: {"on": True, "off": False}[v],
    "fairness": float,
    "offer_ttl": int,
    "nag_interval": int,
}
FIELDS = {"auto_dispatch": "auto_dispatch", "fairness": "fairness",
          "offer_ttl": "offer_ttl_hours", "nag_interval": "nag_interval_hours"}


def variants(compare: list[str]) -> list[Variant]:
    """`["auto_dispatch=on,off", "offer_ttl=12,24"]` -> one variant per value (base first
    when nothing is compared)."""
    found = [Variant()] if not compare else []
    for item in compare:
        knob, _, values = item.partition("=")
        if knob not in KNOBS or not values:
            raise ValueError(f"--compare {item!r}: use one of {', '.join(KNOBS)} with =a,b")
        for value in values.split(","):
            found.append(replace(Variant(), name=f"{knob}={value}",
                                 **{FIELDS[knob]: KNOBS[knob](value)}))
    return found


async def one(assembly: Assembly, variant: Variant, seed: int, days: int, seekers: int) -> Log:
    cast = draw(seed, START, days, seekers)
    memory = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 (a private temp dir)
    with tempfile.TemporaryDirectory(prefix="dispatchbot-sim-", dir=memory) as tmp:
        world = World(cast, variant, assembly, seed, START, days, f"{tmp}/sim.db")
        return await world.run()


async def simulate(assembly: Assembly, days: int, seed: int, compare: list[str],
                   chart_path: Path | None, realtime: bool = True,
                   seekers: int = 500) -> tuple[str, list[tuple[str, Figures, Figures | None]]]:
    columns = []
    first: Log | None = None
    for variant in variants(compare):
        log = await one(assembly, variant, seed, days, seekers)
        first = first or log
        twin = None
        if realtime:
            twin = figures(await one(assembly, replace(variant, realtime=True), seed, days, seekers))
        columns.append((variant.name, figures(log), twin))
    if chart_path is not None and first is not None:
        chart(first, chart_path, f"{days} days, seed {seed}, {columns[0][0]}")
    return table(columns), columns


def run(assembly: Assembly, days: int, seed: int, compare: list[str], chart_path: Path | None,
        realtime: bool = True, seekers: int = 500) -> str:
    text, _ = asyncio.run(simulate(assembly, days, seed, compare, chart_path, realtime, seekers))
    return text
