"""The table (plain English, fixed formatting: two runs with one seed print the same bytes)
and the chart of a run."""

from collections.abc import Sequence
from pathlib import Path

from simulation.measure import Figures
from simulation.world import Log


def _h(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} h"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


ROWS: list[tuple[str, object]] = [
    ("seekers (duplicates attached)", lambda f, r: f"{f.seekers} ({f.duplicates})"),
    ("FALLEN THROUGH THE CRACKS", lambda f, r: str(f.fallen)),
    ("  unheld > 48 h, no alarm", lambda f, r: str(f.fallen_unheld)),
    ("  holder silent, no escalation", lambda f, r: str(f.fallen_holder)),
    ("alarms per dispatcher per day", lambda f, r: f"{f.alarms_per_dispatcher_day:.2f}"),
    ("  of them undispatched alarms (all)", lambda f, r: str(f.undispatched_alarms)),
    ("auto-dispatch hand-overs", lambda f, r: str(f.handovers)),
    ("arrival -> first attempt, median", lambda f, r: _h(f.first_attempt_median_h)),
    ("arrival -> first attempt, p90", lambda f, r: _h(f.first_attempt_p90_h)),
    ("never attempted", lambda f, r: str(f.never_attempted)),
    ("reached within 48 h", lambda f, r: _pct(f.reached_48h)),
    ("reached within 7 days", lambda f, r: _pct(f.reached_7d)),
    ("met", lambda f, r: _pct(f.met)),
    ("offers", lambda f, r: str(f.offers)),
    ("offers per accepted seeker", lambda f, r: f"{f.offers_per_accepted:.2f}"),
    ("offer expiries", lambda f, r: str(f.expiries)),
    ("escalations", lambda f, r: str(f.escalations)),
    ("reassignments", lambda f, r: str(f.reassignments)),
    ("hand-backs", lambda f, r: str(f.hand_backs)),
    ("msgs/dispatcher/day, digest mode", lambda f, r: f"{f.dispatcher_messages_day:.2f}"),
    ("msgs/dispatcher/day, real-time", lambda f, r: "-" if r is None
     else f"{r.dispatcher_messages_day:.2f}"),
    ("msgs/multiplier/day", lambda f, r: f"{f.multiplier_messages_day:.2f}"),
    ("team-chat posts per day", lambda f, r: f"{f.team_chat_posts_day:.1f}"),
    ("QUIET-HOUR VIOLATIONS", lambda f, r: str(f.quiet_violations)),
    ("  in the real-time twin", lambda f, r: "-" if r is None else str(r.quiet_violations)),
    ("contacts in an inconsistent state", lambda f, r: str(f.inconsistent)),
]


def table(columns: Sequence[tuple[str, Figures, Figures | None]]) -> str:
    """One column per variant: (name, digest-mode figures, real-time twin's or None)."""
    label = max(len(name) for name, _ in ROWS)
    widths = [max(14, len(name)) for name, _f, _r in columns]
    lines = [" " * label + "  " + "  ".join(n.rjust(w) for (n, _f, _r), w in zip(columns, widths))]
    for name, cell in ROWS:
        values = [cell(f, r) for _n, f, r in columns]  # type: ignore[operator]
        lines.append(name.ljust(label) + "  " + "  ".join(v.rjust(w) for v, w in zip(values, widths)))
    return "\n".join(lines)


def chart(log: Log, path: Path, title: str) -> None:
    """Per day at noon: seekers waiting for dispatch, held by a multiplier, met so far;
    and arrivals per day."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    days = [(at - log.start).days for at, *_ in log.daily]
    arrivals = [0] * max(len(days), 1)
    for at in log.arrived.values():
        d = (at - log.start).days
        if 0 <= d < len(arrivals):
            arrivals[d] += 1
    fig, ax = plt.subplots(figsize=(9, 5), dpi=100)
    ax.bar(range(len(arrivals)), arrivals, color="#cccccc", label="arrived that day")
    ax.plot(days, [w for _a, w, _h, _m in log.daily], label="waiting for dispatch", color="#d62728")
    ax.plot(days, [h for _a, _w, h, _m in log.daily], label="held by a multiplier", color="#1f77b4")
    ax.plot(days, [m for _a, _w, _h, m in log.daily], label="met (so far)", color="#2ca02c")
    ax.set_xlabel("day")
    ax.set_ylabel("seekers")
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
