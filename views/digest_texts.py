"""Digest texts: short sections, only those with something in them."""

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _

from services.digests import DispatcherDigest, MultiplierDigest
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
