"""Digest texts: short sections, only those with something in them."""

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Status
from domain.outcomes import Event, Outcome
from services.digests import DispatcherDigest, MultiplierDigest, OperatorDigest
from views import labels
from views.conversation_texts import relay_status
from views.texts import summary

MAX_LINES = 10
NOTE_CHARS = 120


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    more = [_("…and {n} more").format(n=len(lines) - MAX_LINES)] if len(lines) > MAX_LINES else []
    return ["", f"<b>{title}</b> ({len(lines)})", *lines[:MAX_LINES], *more]


def dispatcher(d: DispatcherDigest, now: datetime) -> str:
    def name(member_id: int) -> str:
        return escape(d.names.get(member_id, "?"))

    lines = [_("<b>Dispatch digest</b>")]
    lines += _section(ngettext("Waiting for dispatch longer than {n} h",
                               "Waiting for dispatch longer than {n} h",
                               d.forgotten_hours).format(n=d.forgotten_hours), [
        _("#{id} {who} — waiting {age}").format(id=c.id, who=summary(c.details),
                                                age=labels.ago(c.waiting_since, now))
        for c in d.forgotten])
    lines += _section(_("Waiting for dispatch"), [
        _("#{id} {who} — waiting {age}").format(id=c.id, who=summary(c.details),
                                                age=labels.ago(c.waiting_since, now))
        for c in d.waiting])
    lines += _section(_("Declined"), [
        f"#{c.id} {summary(c.details)} — {name(o.multiplier_id)} ({labels.decline_reason(o.decline_reason)})"
        for o, c in d.declined])
    lines += _section(_("Offers expired unanswered"), [
        f"#{c.id} {summary(c.details)} — {name(o.multiplier_id)}" for o, c in d.expired])
    lines += _section(_("Handed back"), [
        f"#{c.id} {summary(c.details)} — {escape(c.dispatch_note[:NOTE_CHARS])}"
        for c in d.handed_back])
    lines += _section(_("Closed for no response"), [
        f"#{c.id} {summary(c.details)}" for c in d.auto_closed])
    lines += _section(_("Follow-ups overdue"), [
        f"#{c.id} {summary(c.details)} — {name(c.assignee_id or 0)}, {labels.status(c.status)}"
        for c in d.overdue])
    lines += _section(_("Multiplier not responding"), [
        f"#{c.id} {summary(c.details)} — {name(c.assignee_id or 0)}" for c in d.not_responding])
    lines += _section(_("Seekers waiting for an answer (multiplier not responding)"), [
        f"#{c.id} {summary(c.details)} — {name(c.assignee_id or 0)}" for c in d.seekers_waiting])
    lines += _section(_("Closed: the seeker never answered"), [
        f"#{c.id} {summary(c.details)} — {name(c.assignee_id or 0)}" for c in d.seekers_silent])
    lines += _section(_("Multipliers the bot cannot reach"), [escape(m.name) for m in d.unreachable])
    lines += _section(_("Multipliers at full capacity"), [
        f"{escape(m.name)} {load}/{m.profile.capacity}" for m, load in d.overloaded])
    return "\n".join(lines)


def multiplier(d: MultiplierDigest, now: datetime, timezone: str) -> str:
    lines = [_("<b>Your digest</b>")]
    lines += _section(_("Offers waiting for your answer"), [
        _("#{id} {who} — answer by {when}").format(
            id=c.id, who=summary(c.details), when=labels.when(o.expires_at, timezone))
        for o, c in d.pending])
    lines += _section(_("Contacts that need an update"), [
        _("#{id} {who} — {stage} for {age}").format(
            id=c.id, who=summary(c.details), stage=labels.status(c.status),
            age=labels.ago(c.stage_changed_at or c.created_at, now))
        for c in d.need_update])
    lines += _section(_("Seekers waiting for your answer"), [
        f"#{c.id} {summary(c.details)} — {relay_status(status)}" for c, status in d.seeker_replied])
    return "\n".join(lines)


def operator(d: OperatorDigest) -> str:
    """What became of the seekers this operator entered, one line per seeker."""
    lines = [_("<b>The seekers you entered</b>")]
    lines += _section(_("What became of them"), [
        f"#{c.id} {summary(c.details)} — " + " → ".join(outcome(e) for e in events)
        for c, events in d.news])
    return "\n".join(lines)


def outcome(e: Event) -> str:
    if e.outcome is Outcome.STAGE:
        return labels.status(Status(e.detail))
    if e.outcome is Outcome.CLOSED:
        return _("closed ({reason})").format(reason=labels.close_reason(e.detail))
    if e.outcome is Outcome.MERGED:
        return _("merged into #{id}").format(id=e.detail) if e.detail else _("merged")
    return {
        Outcome.OFFERED: _("offered"),
        Outcome.ACCEPTED: _("accepted"),
        Outcome.BACK_IN_DISPATCH: _("back in dispatch"),
        Outcome.HANDED_BACK: _("handed back"),
    }[e.outcome]
