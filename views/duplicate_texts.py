"""Texts about duplicates: the suspect line on a card, touch and merge notices, /duplicates."""

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Contact
from domain.duplicates import Match, Reason, Suspect
from domain.members import Member
from views import labels
from views.texts import summary


def reasons(values: tuple[Reason, ...]) -> str:
    return ", ".join(labels.duplicate_reason(r) for r in values)


def touch_notice(stored: Contact, match: Match, reader: str) -> str:
    """The same seeker came in again and was attached to their record, not entered twice."""
    if reader == "assignee":
        return _("🔁 {who} (#{id}), whom you hold, got in touch again ({reasons}). It was added to their record.").format(
            who=summary(stored.details), id=stored.id, reasons=reasons(match.reasons))
    return _("🔁 Already known: a new arrival matches #{id} {who} ({reasons}). It was added to that contact as a new touch, not entered twice.").format(
        id=stored.id, who=summary(stored.details), reasons=reasons(match.reasons))


def merge_notice(kind: str, keeper: Contact, merged: Contact, holder: Member | None) -> str:
    if kind == "offer_withdrawn":
        return _("This offer was withdrawn: #{merged} turned out to be a duplicate of #{keeper} and was merged. Thank you!").format(
            merged=merged.id, keeper=keeper.id)
    if kind == "kept":
        return _("🔗 #{merged} and #{keeper} are the same seeker, {who}; the records were merged into #{keeper}, which stays with you.").format(
            merged=merged.id, keeper=keeper.id, who=summary(keeper.details))
    return _("🔗 #{merged} and #{keeper} are the same seeker, {who}; the records were merged and the dispatcher gave the contact to {name}. You no longer need to reach them. Thank you!").format(
        merged=merged.id, keeper=keeper.id, who=summary(keeper.details),
        name=escape(holder.name) if holder else "?")


def pending_list(items: list[tuple[Suspect, Contact, Contact]]) -> str:
    if not items:
        return _("No possible duplicates are waiting for a decision.")
    lines = [_("<b>Possible duplicates</b> ({n})").format(n=len(items))]
    for suspect, new, old in items:
        lines.append(_("#{new} {who_new} ~ #{old} {who_old}: {reasons}").format(
            new=new.id, who_new=summary(new.details), old=old.id, who_old=summary(old.details),
            reasons=reasons(suspect.reasons)))
    return "\n".join(lines)


def missed_notice(count: int) -> str:
    return ngettext("🔎 The duplicate check found {n} more possible duplicate. See /duplicates.",
                    "🔎 The duplicate check found {n} more possible duplicates. See /duplicates.",
                    count).format(n=count)


def undo_refused() -> str:
    """Answered instead of undoing: a callback alert holds at most 200 characters."""
    return _("Not undone: the kept contact changed after the merge (a stage, an offer or new details), and undoing would overwrite that.")
