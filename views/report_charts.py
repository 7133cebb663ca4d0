"""The report as one PNG a phone shows well: counters, multipliers, time to dispatch.

matplotlib's object API (no pyplot): no global state, safe to render in a worker thread.
matplotlib (with numpy and PIL) is imported on the first chart, not when the bot starts:
it is ~90 MB of a process that mostly never draws."""

import io
from dataclasses import dataclass, replace

BLUE, GREEN, GREY = "#3b73b9", "#4caf50", "#9e9e9e"


@dataclass(frozen=True)
class ChartText:
    """Every word on the chart, translated by the caller (gettext needs the handler's context)."""

    title: str
    counters_title: str
    counters: list[tuple[str, int]]
    multipliers_title: str
    offers_label: str
    accepted_label: str
    multipliers: list[tuple[str, int, int]]  # name, offers, accepted
    dispatch_title: str
    dispatch: list[tuple[str, int]]  # bucket, contacts
    empty: str


@dataclass(frozen=True)
class AreaChartText:
    """The area-over-time chart: one panel per area, seekers per week against free places."""

    title: str
    seekers_label: str
    capacity_label: str
    weeks: list  # the Mondays (datetime.date), in order
    areas: list[tuple[str, dict, int]]  # name, {week: seekers}, free places now
    empty: str


#: Areas on the chart at most (the busiest first is the caller's order; the CSV has all).
MAX_AREAS = 8


def render_areas(text: AreaChartText) -> bytes:
    """A phone-sized PNG: per area, bars of seekers per week and a line at the free places,
    so the weeks (and seasons, over months) where an area needs workers stand out."""
    areas = text.areas[:MAX_AREAS]
    figure = _figure()
    figure.suptitle(text.title.replace("$", r"\$"), fontsize=12)
    if not areas or not text.weeks:
        ax = figure.subplots()
        ax.text(0.5, 0.5, text.empty, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        axes = figure.subplots(len(areas), 1, sharex=True, squeeze=False)[:, 0]
        labels = [w.strftime("%d.%m") for w in text.weeks]
        for ax, (name, weeks, free) in zip(axes, areas, strict=True):
            bars = ax.bar(labels, [weeks.get(w, 0) for w in text.weeks], color=BLUE,
                          label=text.seekers_label)
            ax.bar_label(bars, padding=1, fontsize=7)
            ax.axhline(free, color=GREEN, linestyle="--", label=text.capacity_label)
            ax.set_title(name.replace("$", r"\$"), fontsize=9, loc="left")
            ax.spines[["top", "right"]].set_visible(False)
        axes[0].legend(loc="upper right", fontsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def render(text: ChartText) -> bytes:
    text = _plain(text)
    figure = _figure()
    figure.suptitle(text.title, fontsize=13)
    counters, people, dispatch = figure.subplots(3, 1, height_ratios=[1.1, 1.3, 1])
    _bars(counters, text.counters_title, text.counters, BLUE, text.empty)
    _multipliers(people, text)
    _bars(dispatch, text.dispatch_title, text.dispatch, GREY, text.empty, vertical=True)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _figure():  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure  # only /report draws: see the module's docstring

    return Figure(figsize=(6, 10), dpi=150, layout="constrained")


def _bars(ax, title: str, items: list[tuple[str, int]], colour: str, empty: str,  # type: ignore[no-untyped-def]
          vertical: bool = False) -> None:
    ax.set_title(title, fontsize=11, loc="left")
    if not any(value for _, value in items):
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes)
    names, values = [n for n, _ in items], [v for _, v in items]
    bars = ax.bar(names, values, color=colour) if vertical else ax.barh(names, values, color=colour)
    ax.bar_label(bars, padding=2, fontsize=9)
    if not vertical:
        ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)


def _multipliers(ax, text: ChartText) -> None:  # type: ignore[no-untyped-def]
    ax.set_title(text.multipliers_title, fontsize=11, loc="left")
    rows = text.multipliers[:10]
    if not rows:
        ax.text(0.5, 0.5, text.empty, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    names = [n for n, _, _ in rows]
    positions = range(len(rows))
    ax.barh([p - 0.2 for p in positions], [o for _, o, _ in rows], height=0.4, color=GREY,
            label=text.offers_label)
    ax.barh([p + 0.2 for p in positions], [a for _, _, a in rows], height=0.4, color=GREEN,
            label=text.accepted_label)
    ax.set_yticks(list(positions), names)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)


def _plain(text: ChartText) -> ChartText:
    """Names are people's: a '$' must print, not start matplotlib's math mode."""
    def esc(value: str) -> str:
        return value.replace("$", r"\$")

    return replace(
        text, title=esc(text.title), multipliers=[(esc(n), o, a) for n, o, a in text.multipliers],
        counters=[(esc(n), v) for n, v in text.counters])
