"""The texts of /supply and of the weekly report's supply part, and its CSV rows."""

from html import escape

from aiogram.utils.i18n import gettext as _

from domain.supply import SupplyReport, SupplyRow
from views import labels
from views.texts import summary

CSV_HEADER = ["kind", "key", "name", "waiting", "new_30_days", "multipliers", "free_capacity",
              "shortfall"]


def text(report: SupplyReport, names: dict[str, str]) -> str:
    lines = [_("<b>Supply vs demand</b> (waiting now · new in 30 days · multipliers with room · free places)")]
    lines.append(_("<b>By area</b>"))
    lines += [_row(r, _area(r.key, names)) for r in report.by_area] or ["—"]
    lines.append(_("<b>By language</b>"))
    lines += [_row(r, labels.language(r.key) if r.key else _("not given")) for r in report.by_language] or ["—"]
    need = report.needs_workers
    lines.append(_("<b>Need more workers:</b> {areas}").format(areas=", ".join(
        f"{escape(_area(r.key, names))} (+{r.shortfall})" for r in need) or "—"))
    lines.append(_("<b>Unserved</b> (nobody works there): {list}").format(list=", ".join(
        f"#{c.id} {summary(c.details)}" for c in report.unserved) or "—"))
    lines.append(_("<b>Idle multipliers</b> (room, nothing held, no offer in 14 days): {names}").format(
        names=", ".join(escape(c.member.name) for c in report.idle) or "—"))
    return "\n".join(lines)


def weekly(report: SupplyReport, names: dict[str, str]) -> str:
    """The supply part of the admins' weekly report: where workers are missing."""
    return "\n".join([
        _("<b>Need more workers:</b> {areas}").format(areas=", ".join(
            f"{escape(_area(r.key, names))} (+{r.shortfall})" for r in report.needs_workers) or "—"),
        _("<b>Unserved areas:</b> {areas}").format(areas=", ".join(sorted(
            {escape(_area(c.area_key or "", names)) for c in report.unserved})) or "—"),
        _("<b>Idle multipliers:</b> {names}").format(
            names=", ".join(escape(c.member.name) for c in report.idle) or "—"),
        _("Details: /supply and /report"),
    ])


def _row(row: SupplyRow, label: str) -> str:
    mark = " ⚠️" if row.shortfall else ""
    return (f"• {escape(label)}: {row.waiting} · {row.new_recent} · {row.multipliers} · "
            f"{row.free_capacity}{mark}")


def _area(key: str, names: dict[str, str]) -> str:
    return names.get(key, key) if key else _("no area / not mapped")


def csv_rows(report: SupplyReport, names: dict[str, str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for kind, items in (("area", report.by_area), ("language", report.by_language)):
        for r in items:
            name = names.get(r.key, r.key) if kind == "area" else r.key
            rows.append([kind, r.key, name, r.waiting, r.new_recent, r.multipliers,
                         r.free_capacity, r.shortfall])
    rows += [["idle", c.member.id, c.member.name, "", "", "", c.member.profile.capacity, ""]
             for c in report.idle]
    rows += [["unserved", c.id, c.details.call_name, 1, "", 0, 0, 1] for c in report.unserved]
    return rows
