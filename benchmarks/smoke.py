"""Every benchmark at a tiny size, each in a fresh interpreter: for CI.

    python -m benchmarks.smoke [--only NAME ...] [--timeout 180]

Runs `python -m benchmarks.NAME <tiny flags>` one after the other (in sequence, so that
outbox_drain measures its rate on a machine not busy with another benchmark), prints each
one's output, and exits with status 1 if any of them failed, timed out, or was not run. A
benchmark fails on its own checks: outbox_drain's bar (all delivered, no 429, rate >= 0.95 x
the configured rate), matching's pruned ranking equal to the baseline, seeker_intake's
flood rule. About a minute in all on a 2-core machine, most of it importing aiogram.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPERS = {"__init__", "smoke", "flood_fake", "duplicate_data"}  # imported, not run

TINY: dict[str, list[str]] = {
    "outbox_drain": ["--messages", "200", "--chats", "100", "--groups", "2"],
    "matching": ["--multipliers", "500", "--rank-contacts", "30", "--contacts", "10",
                 "--team", "10"],
    "duplicates": ["--stored", "2000", "--arrivals", "50"],
    "intake_io": ["--rows", "40", "--requests", "20", "--clients", "4", "--team", "5"],
    "presses": ["--contacts", "1000", "--team", "20", "--users", "4", "--steps", "44",
                "--alone", "3"],
    "seeker_intake": ["--seekers", "10", "--messages", "2", "--flooders", "2"],
    # PostgreSQL + Redis: skipped (exit 0) without TEST_DATABASE_URL and REDIS_URL
    "api_replicas": ["--requests", "20", "--clients", "4", "--team", "5", "--runs", "shared:2"],
}


def benchmarks() -> list[str]:
    return sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py") if p.stem not in HELPERS)


def run(name: str, timeout: float) -> tuple[int | None, float]:
    """(return code or None on a timeout, seconds)."""
    command = [sys.executable, "-m", f"benchmarks.{name}", *TINY[name]]
    print(f"=== {name}: {' '.join(command[1:])}", flush=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout
        print(out or "", end="")
        print(f"--- {name}: TIMEOUT after {timeout:g} s", flush=True)
        return None, time.monotonic() - started
    took = time.monotonic() - started
    print(done.stdout, end="" if done.stdout.endswith("\n") or not done.stdout else "\n")
    print(f"--- {name}: exit {done.returncode} in {took:.1f} s", flush=True)
    return done.returncode, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    parser.add_argument("--timeout", type=float, default=180, help="per benchmark, seconds")
    args = parser.parse_args()
    found = benchmarks()
    untried = [name for name in found if name not in TINY]
    names = args.only or found
    unknown = [name for name in names if name not in TINY]
    results = {name: run(name, args.timeout) for name in names if name in TINY}
    print("=== summary")
    for name, (code, took) in results.items():
        state = "ok" if code == 0 else "TIMEOUT" if code is None else f"FAILED (exit {code})"
        print(f"{name:15s} {state:18s} {took:6.1f} s")
    total = sum(took for _, took in results.values())
    print(f"total {total:.1f} s")
    missing = unknown if args.only else untried
    for name in missing:
        print(f"{name}: no tiny size in benchmarks/smoke.py TINY; add one")
    failed = [name for name, (code, _) in results.items() if code != 0]
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
