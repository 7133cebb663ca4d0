"""Every entry point imports alone in a fresh interpreter.

Within one pytest process a module can lean on another having been imported first (a
circular import that only works in one order, a name set up as a side effect); a fresh
`python -c "import X"` per module catches that. The subprocesses run in parallel threads,
once for the whole module, since importing aiogram alone takes seconds.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = ["bot.cli", "bot.app", "bot.webhook", "bot.importer", "api.server",
                "scheduler.setup", "scheduler.sender", "handlers"]
BENCHMARKS = sorted(f"benchmarks.{p.stem}" for p in (ROOT / "benchmarks").glob("*.py")
                    if p.stem != "__init__")
MODULES = ENTRY_POINTS + BENCHMARKS


def _import(module: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@cache
def _results() -> dict[str, subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(MODULES, pool.map(_import, MODULES), strict=True))


def test_every_benchmark_is_listed() -> None:
    assert "benchmarks.outbox_drain" in BENCHMARKS and "benchmarks.smoke" in BENCHMARKS


@pytest.mark.parametrize("module", MODULES)
def test_imports_alone(module: str) -> None:
    done = _results()[module]
    assert done.returncode == 0, f"`import {module}` failed:\n{done.stderr}"
