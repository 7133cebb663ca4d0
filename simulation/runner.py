"""`dispatchbot simulate`: run the variants on the same people, print one table, draw a chart."""

import asyncio
import gc
import multiprocessing
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from multiprocessing.connection import Connection
from datetime import UTC, datetime
from pathlib import Path

from simulation.measure import Figures, explain, figures
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
                   seekers: int = 500, explained: bool = False,
                   ) -> tuple[str, list[tuple[str, Figures, Figures | None]]]:
    """Each variant, and beside it (in a forked process, on the other core) its real-time
    twin: the two share nothing but the seed, so they need not take turns. `explained`: each
    variant's fallen seekers listed under the table."""
    columns = []
    listings = []
    for variant in variants(compare):
        twin = _Child(partial(_figures_of, assembly, replace(variant, realtime=True), seed,
                              days, seekers)) if realtime else None
        log = await one(assembly, variant, seed, days, seekers)
        if chart_path is not None and not columns:  # the first variant's, while its twin runs
            chart(log, chart_path, f"{days} days, seed {seed}, {variant.name}")
        columns.append((variant.name, figures(log), twin.result() if twin else None))
        if explained:
            listings.append(f"\nfallen, {variant.name}:\n{explain(log) or 'none'}")
    return table(columns) + "".join(listings), columns


def _figures_of(assembly: Assembly, variant: Variant, seed: int, days: int,
                seekers: int) -> Figures:
    return figures(asyncio.run(one(assembly, variant, seed, days, seekers)))


class _Child:
    """`work()` in a forked process (fork: the assembly's callables need no pickling), its
    result sent back over a pipe. The child starts its own event loop: asyncio knows a
    forked child is not running its parent's."""

    def __init__(self, work: Callable[[], Figures]) -> None:
        context = multiprocessing.get_context("fork")
        self._pipe, theirs = context.Pipe(duplex=False)
        self._process = context.Process(target=_send, args=(work, theirs), daemon=True)
        self._process.start()
        theirs.close()

    def result(self) -> Figures:
        ok, found = self._pipe.recv()
        self._process.join()
        if not ok:
            raise RuntimeError(f"the real-time twin failed:\n{found}")
        return found


def _send(work: Callable[[], Figures], pipe: Connection) -> None:
    try:
        found: object = work()
    except Exception:  # noqa: BLE001 (reported by the parent, with the child's traceback)
        pipe.send((False, traceback.format_exc()))
    else:
        pipe.send((True, found))
    pipe.close()


def run(assembly: Assembly, days: int, seed: int, compare: list[str], chart_path: Path | None,
        realtime: bool = True, seekers: int = 500, explained: bool = False) -> str:
    """The CLI's run. A month makes millions of short-lived rows and objects (freed by
    reference counting) and a long log: the collector's default pace (a pass every 700
    allocations, full passes over the whole log) cost more than a tenth of the run."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        text, _ = asyncio.run(simulate(assembly, days, seed, compare, chart_path, realtime,
                                       seekers, explained))
    finally:
        gc.set_threshold(*before)
    return text
