"""Texts of the dispatchers' control over held contacts (services.holding, services.release,
services.leavers): the dialogs, what the holder reads, the leaver's note and summary."""

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Contact, Status
from domain.offers import Release
from services.leavers import Departure
from views import labels
from views.texts import summary


def ask_prompt(contact: Contact, holder: str) -> str:
    return _("#{id} {who}: add a note for {name}, or press Send without note. (/cancel stops.)").format(
        id=contact.id, who=summary(contact.details), name=escape(holder))


def message_prompt(contact: Contact, holder: str) -> str:
    return _("#{id} {who}: write your message for {name}. (/cancel stops.)").format(
        id=contact.id, who=summary(contact.details), name=escape(holder))


def asked(contact_id: int, holder: str) -> str:
    return _("Asked {name} for an update on #{id}.").format(name=escape(holder), id=contact_id)


def sent(holder: str) -> str:
    return _("Sent to {name}.").format(name=escape(holder))


def ask_message(contact: Contact, asker: str, note: str) -> str:
    """To the holder, with the stage buttons: care for the seeker, not policing."""
    text = _("🔔 {asker} (dispatcher) asks how it is going with {who} (#{id}), now at “{stage}”. Tap the stage it is at now.").format(
        asker=escape(asker), who=summary(contact.details), id=contact.id,
        stage=labels.status(contact.status))
    if note:
        text += "\n" + _("Note: {note}").format(note=escape(note))
    return text


def relayed_note(contact: Contact, sender: str, text: str) -> str:
    return _("✉️ {sender} (dispatcher) about {who} (#{id}):").format(
        sender=escape(sender), who=summary(contact.details), id=contact.id) + "\n" + escape(text)


def released_notice(contact: Contact, release: Release | None) -> str:
    """To a holder someone else let go: plainly, so they stop calling the seeker."""
    name = escape(contact.details.call_name)
    if release is Release.CLOSED:
        return _("#{id} {name} was closed by the dispatchers ({reason}): you no longer hold this contact. Thank you.").format(
            id=contact.id, name=name, reason=labels.close_reason(contact.close_reason))
    return _("#{id} {name} was reassigned by the dispatchers: you no longer hold this contact. Thank you.").format(
        id=contact.id, name=name)


def released_message(contact: Contact, release: Release | None) -> str:
    """What the holder's old message with the details becomes: no details, no buttons."""
    name = escape(contact.details.call_name)
    if release is Release.HANDED_BACK:
        return _("#{id} {name} — handed back to the dispatchers. Thank you.").format(
            id=contact.id, name=name)
    return _("#{id} {name} — no longer yours.").format(id=contact.id, name=name)


def left_note(name: str, left_team: bool, stage: Status) -> str:
    """On each card a leaver's contact comes back with."""
    if left_team:
        return _("{name} left the team; was at stage {stage}").format(
            name=name, stage=labels.status(stage))
    return _("{name} is no longer a multiplier; was at stage {stage}").format(
        name=name, stage=labels.status(stage))


def departure(d: Departure) -> str:
    """The team chat's one message about a leaver."""
    who = _("{name} left the team").format(name=escape(d.name)) if d.left_team else \
        _("{name} is no longer a multiplier").format(name=escape(d.name))
    parts = []
    if d.contacts:
        parts.append(ngettext("{n} contact back in dispatch ({ids})",
                              "{n} contacts back in dispatch ({ids})", len(d.contacts)).format(
            n=len(d.contacts), ids=_ids(d.contacts)))
    if d.offers:
        parts.append(ngettext("{n} offer withdrawn ({ids})", "{n} offers withdrawn ({ids})",
                              len(d.offers)).format(n=len(d.offers), ids=_ids(d.offers)))
    return f"{who}: {', '.join(parts)}"


def _ids(contact_ids: tuple[int, ...]) -> str:
    return ", ".join(f"#{i}" for i in contact_ids)
