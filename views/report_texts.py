"""The texts of a report: the summary message, the chart's words and the CSV table."""

from datetime import timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Status
from domain.milestones import MILESTONES, Milestone
from domain.reports import DISPATCH_BUCKETS, Coaching, Report, SourceFunnel, histogram, median
from views import labels
from views.report_charts import AreaChartText, ChartText


def auto_name() -> str:
    """How the reports name the offers auto-dispatch made."""
    return _("auto-dispatch")


def period_label(result: Report, zone: ZoneInfo) -> str:
    first = labels.date(result.period.start, zone)
    last = labels.date(result.period.end - timedelta(microseconds=1), zone)
    days = result.period.days
    return ngettext("{first} – {last} ({days} day)", "{first} – {last} ({days} days)",
                    days).format(first=first, last=last, days=days)


def summary(result: Report, zone: ZoneInfo) -> str:
    c = result.counters
    lines = [
        _("<b>Report</b> {period}").format(period=period_label(result, zone)),
        _("{new} new · {dispatched} dispatched · {accepted} accepted · {reached} reached · {met} met · {closed} closed · {waiting} waiting now").format(
            new=c.new, dispatched=c.dispatched, accepted=c.accepted, reached=c.reached, met=c.met,
            closed=c.closed, waiting=c.waiting_now),
        _("Median time to first offer: {time}").format(time=_duration(median(result.dispatch_times))),
        "", _("<b>Multipliers</b>"),
    ]
    for m in result.multipliers:
        share = labels.percent(m.accepted_share) if m.accepted_share is not None else "—"
        lines.append(ngettext(
            "{name}: {offers} offer, {share} accepted, accepts in {accept}, first contact in {first}, {overdue} overdue, {met} met",
            "{name}: {offers} offers, {share} accepted, accepts in {accept}, first contact in {first}, {overdue} overdue, {met} met",
            m.offers).format(
            name=escape(m.name), offers=m.offers, share=share,
            accept=_duration(median(m.accept_times)), first=_duration(median(m.first_contact_times)),
            overdue=m.overdue_now, met=m.met))
    lines += ["", _("<b>Dispatchers</b>")]
    lines += [ngettext("{name}: {offers} offer, waited {wait} (median)",
                       "{name}: {offers} offers, waited {wait} (median)", d.offers).format(
        name=escape(d.name), offers=d.offers, wait=_duration(median(d.waits)))
        for d in result.dispatchers] or ["—"]
    lines += ["", _("<b>Operators</b>")]
    lines += [_("{name}: {entered} entered, {triaged} triaged in {wait} (median), {spam} spam").format(
        name=escape(o.name), entered=o.entered, triaged=o.triaged,
        wait=_duration(median(o.triage_times)), spam=o.spam)
        for o in result.operators] or ["—"]
    if result.sources:
        lines += ["", _("<b>By source</b> (seekers who arrived in the period, and how far they got)")]
        lines += [source_line(f) for f in result.sources]
    if result.stage_times:
        lines += ["", _("<b>Time in each stage</b> (median of the stays that ended): {stages}").format(
            stages=" · ".join(f"{labels.status(stage)} {_duration(median(times))}"
                              for stage, times in _stage_order(result) if times))]
    if result.coaching:
        lines += ["", _("<b>May need help</b> (last 30 days against the 30 before)")]
        lines += [coaching_line(c) for c in result.coaching]
    if result.idle:
        lines += ["", _("<b>Idle with free places:</b> {names}").format(names=", ".join(
            f"{escape(name)} ({free})" for name, free in result.idle))]
    if result.milestones:
        lines += ["", milestones(result.milestones)]
    if result.web_forms:
        lines += ["", _("Web forms: {forms}").format(forms="; ".join(
            _("{slug} {sent} sent, {refused} refused").format(
                slug=escape(f.slug), sent=f.sent, refused=f.refused) for f in result.web_forms))]
    return "\n".join(lines)


def source_line(f: SourceFunnel) -> str:
    """"instagram: 40 new → 30 dispatched → 20 reached → 8 met (20% met)"."""
    share = f.conversions[3]
    return _("{source}: {new} new → {dispatched} dispatched → {reached} reached → {met} met ({share} met)").format(
        source=escape(f.source or _("no source")), new=f.new, dispatched=f.dispatched,
        reached=f.reached, met=f.met, share=labels.percent(share) if share is not None else "—")


def area_chart_text(result: Report, zone: ZoneInfo, names: dict[str, str]) -> AreaChartText:
    """Seekers per week from each area, beside the free places there now."""
    return AreaChartText(
        title=_("Seekers per week by area, {period}").format(period=period_label(result, zone)),
        seekers_label=_("seekers that week"),
        capacity_label=_("free places now"),
        weeks=sorted({a.week for a in result.areas}),
        areas=[(names.get(key, key) or _("no area"), {a.week: a.seekers for a in result.areas if a.area == key},
                result.free_capacity.get(key, 0))
               for key in _busiest(result)],
        empty=_("nothing in this period"),
    )


def _stage_order(result: Report) -> list[tuple[Status, list[timedelta]]]:
    return [(stage, result.stage_times[stage]) for stage in Status if stage in result.stage_times]


def coaching_line(c: Coaching) -> str:
    """"Anna: declines 1 → 4, lapses 0 → 2"."""
    words = {"declines": _("declines"), "lapses": _("lapses"), "overdue": _("overdue")}
    return "{name}: {changes}".format(name=escape(c.name), changes=", ".join(
        f"{words[n]} {getattr(c.before, n)} → {getattr(c.now, n)}" for n in c.rose))


def _busiest(result: Report) -> list[str]:
    totals: dict[str, int] = {}
    for a in result.areas:
        totals[a.area] = totals.get(a.area, 0) + a.seekers
    return sorted(totals, key=lambda key: (-totals[key], key))


def milestones(counts: dict[Milestone, int]) -> str:
    """Faith milestones reached, in the path's order: "✝ Milestones: in a group 2, …"."""
    return _("✝ Milestones: {list}").format(list=", ".join(
        f"{labels.milestone(m)} {counts[m]}" for m in MILESTONES if counts.get(m)))


def _duration(value) -> str:  # type: ignore[no-untyped-def]
    return labels.duration(value) if value is not None else "—"


def chart_text(result: Report, zone: ZoneInfo) -> ChartText:
    c = result.counters
    return ChartText(
        title=_("Report {period}").format(period=period_label(result, zone)),
        counters_title=_("Contacts"),
        counters=[(_("new"), c.new), (_("dispatched"), c.dispatched), (_("accepted"), c.accepted),
                  (_("reached"), c.reached), (_("met"), c.met), (_("closed"), c.closed),
                  (_("waiting now"), c.waiting_now)],
        multipliers_title=_("Offers per multiplier"),
        offers_label=_("offered"),
        accepted_label=_("accepted"),
        multipliers=[(m.name, m.offers, m.accepted) for m in result.multipliers if m.offers],
        dispatch_title=_("Time from arrival to first offer"),
        dispatch=_buckets(histogram(result.dispatch_times)),
        empty=_("nothing in this period"),
    )


def _buckets(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The chart's time buckets in the reader's units ("< 1h", "1h–4h"); the core's own
    names ("<1h", "1-4h") stay for the CSV, which is not translated."""
    limits = [limit for limit, _name in DISPATCH_BUCKETS]
    lowers = [None, *limits[:-1]]
    return [(labels.span(lower, upper), count)
            for lower, upper, (_name, count) in zip(lowers, limits, counts, strict=True)]


def table(result: Report) -> list[list[object]]:
    """Long format (section, who, metric, value): easy to pivot in any spreadsheet."""
    rows: list[list[object]] = [["counters", "", name, value]
                                for name, value in vars(result.counters).items()]
    rows += [["funnel", "", status.value, result.funnel.get(status, 0)] for status in Status]
    for m in result.multipliers:
        rows += [["multiplier", m.name, "offers", m.offers], ["multiplier", m.name, "accepted", m.accepted],
                 ["multiplier", m.name, "median_accept_minutes", _minutes(median(m.accept_times))],
                 ["multiplier", m.name, "median_first_contact_minutes",
                  _minutes(median(m.first_contact_times))],
                 ["multiplier", m.name, "overdue_now", m.overdue_now], ["multiplier", m.name, "met", m.met]]
    for d in result.dispatchers:
        rows += [["dispatcher", d.name, "offers", d.offers],
                 ["dispatcher", d.name, "median_wait_minutes", _minutes(median(d.waits))]]
    for o in result.operators:
        rows += [["operator", o.name, "entered", o.entered], ["operator", o.name, "triaged", o.triaged],
                 ["operator", o.name, "median_triage_minutes", _minutes(median(o.triage_times))],
                 ["operator", o.name, "spam", o.spam]]
    rows += [["time_to_dispatch", "", bucket, count] for bucket, count in histogram(result.dispatch_times)]
    for f in result.web_forms:
        rows += [["web_form", f.slug, "sent", f.sent], ["web_form", f.slug, "refused", f.refused]]
    for s in result.sources:
        rows += [["source", s.source, metric, getattr(s, metric)]
                 for metric in ("new", "dispatched", "reached", "met")]
        rows += [["source", s.source, name, round(value, 3) if value is not None else ""]
                 for name, value in zip(("dispatched_share", "reached_share", "met_share_of_reached",
                                         "met_share"), s.conversions, strict=True)]
    rows += [["area_week", a.area, a.week.isoformat(), a.seekers] for a in result.areas]
    for stage, times in _stage_order(result):
        rows += [["stage_time", stage.value, "stays", len(times)],
                 ["stage_time", stage.value, "median_minutes", _minutes(median(times))]]
    for c in result.coaching:
        rows += [["coaching", c.name, f"{n}_{when}", getattr(slips, n)]
                 for n in ("declines", "lapses", "overdue")
                 for when, slips in (("last_30_days", c.now), ("30_days_before", c.before))]
    rows += [["idle", name, "free_places", free] for name, free in result.idle]
    rows += [["area_free_capacity", area, "free_capacity", n]
             for area, n in sorted(result.free_capacity.items())]
    return rows


def _minutes(value) -> object:  # type: ignore[no-untyped-def]
    return round(value.total_seconds() / 60, 1) if value is not None else ""
