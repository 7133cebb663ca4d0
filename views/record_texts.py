"""The seeker's record beyond the stage: the meeting, the note that came with a stage, and
faith milestones; the questions the holder is asked after a stage. HTML, typed text escaped.
The team card says when the meeting is (relative, so no zone) and the milestones; the place
and the notes are private details, shown only on a full screen."""

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Contact, Status
from domain.meetings import NoteKind
from domain.milestones import Milestone, Reached
from domain.timeline import Event
from views import labels


def card_lines(contact: Contact, reached: tuple[Reached, ...], now: datetime) -> list[str]:
    """What the team card adds: when the meeting is, and the milestones in short."""
    lines = []
    if contact.status is Status.MEETING_SCHEDULED and contact.meeting_at:
        if contact.meeting_at >= now:
            lines.append(_("📅 Meeting in {time}").format(time=labels.ago(now, contact.meeting_at)))
        else:
            lines.append(_("📅 Meeting was {time} ago").format(
                time=labels.ago(contact.meeting_at, now)))
    if reached:
        lines.append(ngettext("✝ {n} milestone: {list}", "✝ {n} milestones: {list}",
                              len(reached)).format(
            n=len(reached), list=", ".join(labels.milestone(r.milestone) for r in reached)))
    return lines


def full_lines(contact: Contact, reached: tuple[Reached, ...], timezone: str) -> list[str]:
    """The record as its holder, a dispatcher or an admin reads it in private."""
    lines = []
    if contact.meeting_at and contact.status in (Status.MEETING_SCHEDULED, Status.MET):
        where = f" · {escape(contact.meeting_place)}" if contact.meeting_place else ""
        lines.append(_("📅 Meeting: {when}{where}").format(
            when=labels.when(contact.meeting_at, timezone), where=where))
    if contact.stage_note:
        lines.append(_("📝 {note}").format(note=escape(contact.stage_note)))
    if reached:
        lines.append(_("✝ Milestones: {list}").format(list=", ".join(
            f"{labels.milestone(r.milestone)} ({labels.date_in(r.reached_at, timezone)})"
            for r in reached)))
    return lines


def event(e: Event, who: str, timezone: str, full: bool = True) -> str | None:
    """A timeline line for the record's own audit actions; None for any other action. A
    card-level screen (`full` False) says that a line was added, not what it says."""
    value = str(e.after or "")
    if e.kind == "meeting":
        return _("meeting set for {when} ({who})").format(
            when=labels.moment(datetime.fromisoformat(value), timezone), who=who)
    if e.kind in NoteKind._value2member_map_:
        return _line(NoteKind(e.kind), value if full else None, who)
    if e.kind in ("milestone", "milestone_off") and value in Milestone._value2member_map_:
        words = _("✝ {milestone} ({who})") if e.kind == "milestone" else \
            _("✝ {milestone} taken back ({who})")
        return words.format(milestone=labels.milestone(Milestone(value)), who=who)
    return None


def _line(kind: NoteKind, text: str | None, who: str) -> str:
    """A note, a place or a result: what it says, or only that it was added."""
    if text is None:
        return {NoteKind.NOTE: _("note added ({who})"),
                NoteKind.RESULT: _("meeting result added ({who})"),
                NoteKind.PLACE: _("meeting place added ({who})")}[kind].format(who=who)
    return {NoteKind.NOTE: _("note: {text} ({who})"),
            NoteKind.RESULT: _("result: {text} ({who})"),
            NoteKind.PLACE: _("meeting place: {text} ({who})")}[kind].format(
        text=escape(text), who=who)


def ask_note(contact: Contact, kind: NoteKind) -> str:
    return {NoteKind.NOTE: _("#{id}: add a short note, or press Skip."),
            NoteKind.RESULT: _("#{id}: how did the meeting go? A short result, or press Skip."),
            NoteKind.PLACE: _("#{id}: where is the meeting? Type the place, or press Skip.")}[
        kind].format(id=contact.id)


def ask_day(contact: Contact) -> str:
    return _("#{id}: when is the meeting? Pick the day, or type the date and time (3.12 18:00).").format(id=contact.id)


def ask_hour(contact_id: int, day: str) -> str:
    return _("#{id}: the meeting on {day}: pick the time, or type it (18:00).").format(
        id=contact_id, day=day)


def meeting_saved(contact: Contact, timezone: str) -> str:
    assert contact.meeting_at is not None
    return _("Meeting with #{id} on {when}.").format(
        id=contact.id, when=labels.when(contact.meeting_at, timezone))


def milestones_menu(contact: Contact, reached: list[Reached], timezone: str) -> str:
    lines = [_("✝ Faith milestones of #{id} {name}: tap to tick or untick.").format(
        id=contact.id, name=escape(contact.details.call_name))]
    lines += [f"✅ {labels.milestone(r.milestone)} ({labels.date_in(r.reached_at, timezone)})"
              for r in reached]
    return "\n".join(lines)
