"""Message texts built from service results. HTML parse mode: every typed value is escaped."""

from datetime import datetime, timedelta
from html import escape

from aiogram.utils.i18n import gettext as _

from domain.contacts import Contact, ContactDetails, Status
from domain.members import Member
from domain.offers import Offer, OfferStatus
from handlers import labels
from services.cards import CardView

TEXT_LIMIT = 4000  # Telegram refuses messages over 4096 characters


def fit(text: str, limit: int = TEXT_LIMIT) -> str:
    """Cut an over-long message at a line break (tags never span lines) and say so."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    return text[: cut if cut > 0 else limit - 2] + "\n…"


def summary(details: ContactDetails) -> str:
    """What dispatching needs and privacy allows: first name, gender, language, area."""
    parts = [labels.gender(details.gender, short=True), labels.language(details.language)]
    if details.area:
        parts.append(details.area)
    return f"{escape(details.first_name)} ({escape(', '.join(parts))})"


def card(view: CardView, now: datetime) -> str:
    contact = view.contact
    lines = [f"<b>#{contact.id}</b> {summary(contact.details)}"]
    source = escape(contact.details.source) or _("unknown source")
    lines.append(_("Source: {source} · waiting {age}").format(
        source=source, age=labels.ago(contact.waiting_since, now)))
    if contact.dispatch_note:
        lines.append(_("Handed back: {note}").format(note=escape(contact.dispatch_note)))
    lines.append(status_line(view, now))
    declines = [o for o in view.offers if o.status is OfferStatus.DECLINED]
    if declines:
        lines.append(_("Declined: {list}").format(list=", ".join(
            f"{escape(view.names[o.multiplier_id])} ({labels.decline_reason(o.decline_reason)})"
            for o in declines)))
    expired = [o for o in view.offers if o.status is OfferStatus.EXPIRED]
    if expired:
        lines.append(_("No answer in time: {list}").format(
            list=", ".join(escape(view.names[o.multiplier_id]) for o in expired)))
    if view.touches:
        lines.append(_("🔁 Got in touch again: {n}×").format(n=view.touches))
    if contact.merged_into:
        lines.append(_("🔗 Merged into #{id}").format(id=contact.merged_into))
    for suspect in view.suspects:
        other = suspect.other_id if suspect.contact_id == contact.id else suspect.contact_id
        lines.append(_("⚠️ Possible duplicate of #{id} ({reasons})").format(
            id=other, reasons=", ".join(labels.duplicate_reason(r) for r in suspect.reasons)))
    if contact.status is Status.NEW:
        lines += ["", suggestions(view)]
    return "\n".join(lines)


def status_line(view: CardView, now: datetime) -> str:
    contact = view.contact
    if contact.status is Status.OFFERED and view.pending_offer:
        offer = view.pending_offer
        return _("⏳ Offered to {name} {age} ago, waiting for an answer").format(
            name=escape(view.names[offer.multiplier_id]), age=labels.ago(offer.created_at, now))
    if contact.is_assigned and view.assignee:
        accepted = next((o for o in view.offers if o.status is OfferStatus.ACCEPTED
                         and o.multiplier_id == view.assignee.id), None)
        took = labels.ago(accepted.created_at, accepted.answered_at) if accepted and accepted.answered_at else "?"
        line = _("✅ Accepted by {name} in {took} · stage: {stage}").format(
            name=escape(view.assignee.name), took=took, stage=labels.status(contact.status))
        if contact.escalated_at:
            line += "\n" + _("⚠️ Multiplier not responding")
        return line
    if contact.status is Status.CLOSED:
        return _("Closed: {reason}").format(reason=labels.close_reason(contact.close_reason))
    return _("Status: {status}").format(status=labels.status(contact.status))


def suggestions(view: CardView) -> str:
    if not view.suggestions:
        return _("No available multiplier has free capacity. Use “Other…” to pick anyone.")
    lines = [_("Suggestions:")]
    for number, s in enumerate(view.suggestions, 1):
        reasons = ", ".join(
            labels.match_reason(r, view.contact.details.language, s.load, s.capacity)
            for r in s.reasons)
        lines.append(f"{number}. <b>{escape(s.member.name)}</b> — {reasons}")
    return "\n".join(lines)


def offer_question(contact: Contact, days: int) -> str:
    """Urgent and concrete, never 'can you take a contact?'."""
    return _("Can you reach {who} in the next {days} days?").format(
        who=summary(contact.details), days=days)


def details(contact: Contact, offer: Offer, timezone: str) -> str:
    """Full details: only ever sent to the multiplier who accepted. Times in their own zone."""
    days = offer.days
    d = contact.details
    rows = [
        (_("Phone"), d.phone), (_("Telegram"), f"@{d.tg_username}" if d.tg_username else None),
        (_("E-mail"), d.email), (_("Gender"), labels.gender(d.gender)),
        (_("Language"), labels.language(d.language)), (_("Area"), d.area),
        (_("Source"), d.source), (_("Notes"), d.notes),
    ]
    accepted = offer.answered_at or offer.created_at
    lines = [_("<b>#{id} {name}</b> — please reach them by {deadline}.").format(
        id=contact.id, name=escape(d.name),
        deadline=labels.when(accepted + timedelta(days=days), timezone))]
    lines += [f"{label}: {escape(str(value))}" for label, value in rows if value]
    lines.append(_("Stage: {stage}").format(stage=labels.status(contact.status)))
    return "\n".join(lines)


def member_line(member: Member) -> str:
    roles = ", ".join(labels.role(r) for r in sorted(member.roles)) or _("no role")
    state = "" if member.active else _(" (deactivated)")
    handle = f" @{escape(member.username)}" if member.username else ""
    return f"{escape(member.name)}{handle} — {roles}{state}"


def nag(contact: Contact, since: datetime, now: datetime) -> str:
    """Care for the seeker, not policing: ask how it goes, with the stage buttons at hand."""
    return _("Update needed: how is it going with {who} (#{id})? It has been at “{stage}” for {age}. Tap the stage it is at now.").format(
        who=summary(contact.details), id=contact.id, stage=labels.status(contact.status),
        age=labels.ago(since, now))


def escalation(contact: Contact, multiplier: Member, nags: int) -> str:
    return _("⚠️ #{id} {who}: {name} has not answered {nags} reminders (stage: {stage}). Multiplier not responding.").format(
        id=contact.id, who=summary(contact.details), name=escape(multiplier.name), nags=nags,
        stage=labels.status(contact.status))


def offer_expired_dm() -> str:
    return _("This offer expired without an answer, and went back to the dispatchers.")


def offer_expired_notice(contact: Contact, multiplier_name: str) -> str:
    return _("⏰ No answer from {name} in time: #{id} {who} is back in the queue.").format(
        name=escape(multiplier_name), id=contact.id, who=summary(contact.details))


def unreachable_notice(member_name: str) -> str:
    return _("⚠️ {name} cannot be reached by the bot (blocked it or never started it). Their pending offer, if any, was withdrawn.").format(
        name=escape(member_name))


def auto_closed_notice(contact: Contact) -> str:
    return _("#{id} {who} was closed: could not be reached for too long (no response).").format(
        id=contact.id, who=summary(contact.details))


def offer_closed_dm() -> str:
    return _("This offer is no longer open: it was withdrawn by the dispatcher or has expired.")


def new_contact_notice(contact: Contact) -> str:
    return _("🆕 #{id} {who} waits for dispatch.").format(id=contact.id, who=summary(contact.details))


def declined_notice(contact: Contact, multiplier_name: str) -> str:
    return _("✋ {name} declined #{id} {who}; it is back in the queue.").format(
        name=escape(multiplier_name), id=contact.id, who=summary(contact.details))


def handed_back_notice(contact: Contact, multiplier_name: str) -> str:
    return _("↩️ {name} handed back #{id} {who}: {note}").format(
        name=escape(multiplier_name), id=contact.id, who=summary(contact.details),
        note=escape(contact.dispatch_note))
