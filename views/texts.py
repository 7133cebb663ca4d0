"""Message texts built from service results. HTML parse mode: every typed value is escaped."""

from datetime import datetime, timedelta
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Contact, ContactDetails, Status
from domain.matching import Suggestion
from domain.members import Member
from domain.offers import Offer, OfferStatus, Release
from domain.pool import InvitationState
from domain.roles import Role
from services.cards import CardView
from services.matching import Explanation
from views import labels, record_texts

TEXT_LIMIT = 4000  # Telegram refuses messages over 4096 characters
#: A card counts the wait only while the contact waits for someone to take it.
WAITING = frozenset({Status.NEW, Status.OFFERED, Status.ON_HOLD})


def fit(text: str, limit: int = TEXT_LIMIT) -> str:
    """Cut an over-long message at a line break (tags never span lines) and say so."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    return text[: cut if cut > 0 else limit - 2] + "\n…"


def summary(details: ContactDetails) -> str:
    """What dispatching needs and privacy allows: given name, gender, language, area."""
    parts = [labels.gender(details.gender, short=True), labels.language(details.language)]
    if details.area:
        parts.append(details.area)
    return f"{escape(details.call_name)} ({escape(', '.join(parts))})"


def card(view: CardView, now: datetime) -> str:
    contact = view.contact
    lines = [f"<b>#{contact.id}</b> {summary(contact.details)}"]
    source = escape(contact.details.source) or _("unknown source")
    if contact.status in WAITING:
        lines.append(_("Source: {source} · waiting {age}").format(
            source=source, age=labels.ago(contact.waiting_since, now)))
    else:
        lines.append(_("Source: {source}").format(source=source))
    if contact.dispatch_note:
        lines.append(_dispatch_note(view))
    lines.append(status_line(view, now))
    lines += record_texts.card_lines(contact, view.milestones, now)
    declines = [o for o in view.offers if o.status is OfferStatus.DECLINED]
    if declines:
        lines.append(_("Declined: {list}").format(list=", ".join(
            f"{escape(view.names[o.multiplier_id])} ({labels.decline_reason(o.decline_reason)})"
            for o in declines)))
    expired = [o for o in view.offers if o.status is OfferStatus.EXPIRED]
    if expired:
        lines.append(_("No answer in time: {list}").format(
            list=", ".join(escape(view.names[o.multiplier_id]) for o in expired)))
    if view.invitations:
        lines.append(pool_line(view))
    away = sorted(view.reassigned - {contact.assignee_id})  # unless picked again by hand
    if away:
        lines.append(_("↪️ Reassigned away: {list} (not suggested again)").format(
            list=", ".join(escape(view.names.get(m, "?")) for m in away)))
    if view.touches:
        lines.append(_("🔁 Got in touch again: {n}×").format(n=view.touches))
    if contact.merged_into:
        lines.append(_("🔗 Merged into #{id}").format(id=contact.merged_into))
    for suspect in view.suspects:
        other = suspect.other_id if suspect.contact_id == contact.id else suspect.contact_id
        lines.append(_("⚠️ Possible duplicate of #{id} ({reasons})").format(
            id=other, reasons=", ".join(labels.duplicate_reason(r) for r in suspect.reasons)))
    if contact.status is Status.NEW:
        lines += ["", suggestions(view, now)]
    return "\n".join(lines)


def pool_line(view: CardView) -> str:
    """Who the open pool invited, and who took it: the dispatchers see every name."""
    taker = next((i for i in view.invitations if i.state is InvitationState.TAKEN), None)
    invited = ", ".join(escape(view.names.get(i.member_id, "?")) + _POOL_MARKS.get(i.state, "")
                        for i in view.invitations)
    if taker is not None:
        return _("🙋 Taken from the open pool by {name} (invited: {list})").format(
            name=escape(view.names.get(taker.member_id, "?")), list=invited)
    if view.pool_open:
        return _("🙋 Open to all nearby, first to take it holds it: {list}").format(list=invited)
    return _("🙋 Open pool closed (invited: {list})").format(list=invited)


#: After an invitee's name on the card: passed ("Not me"); nothing for the rest.
_POOL_MARKS = {InvitationState.PASSED: " ✖"}


def _dispatch_note(view: CardView) -> str:
    """A multiplier's hand-back note, or the bot's own (e.g. the holder left the team)."""
    note = escape(view.contact.dispatch_note)
    if view.last_release in (None, Release.HANDED_BACK):
        return _("Handed back: {note}").format(note=note)
    return f"↩️ {note}"


def status_line(view: CardView, now: datetime) -> str:
    contact = view.contact
    if contact.status is Status.OFFERED and view.pending_offer:
        offer = view.pending_offer
        line = _("⏳ Offered to {name} {age} ago, waiting for an answer").format(
            name=escape(view.names[offer.multiplier_id]), age=labels.ago(offer.created_at, now))
        if offer.automatic:
            line += " " + _("(🤖 auto-dispatch, try {n} of {of})").format(
                n=contact.auto_tries, of=view.policy.auto_tries)
        return line
    if contact.is_assigned and view.assignee:
        accepted = next((o for o in view.offers if o.status is OfferStatus.ACCEPTED
                         and o.multiplier_id == view.assignee.id), None)
        took = labels.ago(accepted.created_at, accepted.answered_at) if accepted and accepted.answered_at else "?"
        line = _("✅ Accepted by {name} in {took} · stage: {stage}").format(
            name=escape(view.assignee.name), took=took, stage=labels.status(contact.status))
        if contact.escalated_at:
            line += "\n" + _("⚠️ Multiplier not responding")
        if contact.update_requested_at:
            line += "\n" + _("🔔 Update asked {age} ago by {name}").format(
                age=labels.ago(contact.update_requested_at, now),
                name=escape(view.names.get(contact.update_requested_by or 0, "?")))
        return line
    if contact.status is Status.CLOSED:
        return _("Closed: {reason}").format(reason=labels.close_reason(contact.close_reason))
    return _("Status: {status}").format(status=labels.status(contact.status))


def suggestions(view: CardView, now: datetime) -> str:
    lines = []
    if view.area_unknown:
        lines.append(_("⚠️ Area “{place}” is not on the list: map it with a button below or /map {id} &lt;area&gt;.").format(
            place=escape(view.contact.details.area), id=view.contact.id))
    if view.unserved:
        lines.append(_("⚠️ No multiplier here ({area}).").format(
            area=escape(view.areas.name(view.contact.area_key or ""))))
        if view.nearest:
            lines.append(_("Nearest: {list}").format(list="; ".join(
                f"{escape(s.member.name)} — {escape(_where(view, s))}" for s in view.nearest)))
    if view.contact.auto_dispatch:
        lines.append(_("🤖 Auto-dispatch: try {n} of {of}").format(
            n=view.contact.auto_tries + 1, of=view.policy.auto_tries))
    if not view.suggestions and view.all_asked:
        lines.append(_("Everyone who could take them has declined or let the offer lapse. Use “Other…” to pick anyone."))
        return "\n".join(lines)
    if not view.suggestions:
        lines.append(_("No available multiplier has free capacity. Use “Other…” to pick anyone."))
        return "\n".join(lines)
    lines.append(_("Suggestions:"))
    for number, s in enumerate(view.suggestions, 1):
        reasons = ", ".join(
            labels.match_reason(r, s, view.contact.details.language, now) for r in s.reasons)
        lines.append(f"{number}. <b>{escape(s.member.name)}</b> — {escape(reasons)}")
    return "\n".join(lines)


def _where(view: CardView, s: Suggestion) -> str:
    areas = ", ".join(view.areas.name(k) for k in sorted(s.member.profile.areas)) or "?"
    if s.distance_km is None:
        return areas
    return _("{areas}, {km} km").format(areas=areas, km=round(s.distance_km))


def explanation(e: Explanation, now: datetime) -> str:
    """Why each multiplier is or is not suggested for this seeker."""
    lang = e.contact.details.language
    lines = [_("<b>#{id}</b> {who}: every multiplier").format(
        id=e.contact.id, who=summary(e.contact.details))]
    for v in e.verdicts:
        name = escape(v.candidate.member.name)
        if v.suggestion:
            reasons = ", ".join(labels.match_reason(r, v.suggestion, lang, now)
                                for r in v.suggestion.reasons)
            score = labels.decimal(v.suggestion.score, "0.0")
            lines.append(f"✅ <b>{name}</b> ({score}) — {escape(reasons)}")
        else:
            assert v.exclusion is not None
            lines.append(f"✖️ {name} — {escape(labels.exclusion(v.exclusion, v.candidate, lang))}")
    if not e.verdicts:
        lines.append(_("The team has no multiplier yet."))
    return fit("\n".join(lines))


def undispatched_alarm(contact: Contact, hours: int) -> str:
    """The team chat's one alarm for a seeker nobody dispatched (summary only: a group)."""
    return ngettext(
        "⏰ Nobody has dispatched #{id} {who}: waiting longer than {n} hour (quiet hours not counted).",
        "⏰ Nobody has dispatched #{id} {who}: waiting longer than {n} hours (quiet hours not counted).",
        hours).format(id=contact.id, who=summary(contact.details), n=hours)


#: Contacts named in one alarm for many (services.undispatched.NAMED sends no more); /queue
#: lists them all.
ALARM_NAMES = 20


def undispatched_alarms(contacts: list[Contact], hours: int) -> str:
    """One alarm for a burst nobody dispatched: their numbers, then /queue for the rest."""
    ids = ", ".join(f"#{c.id}" for c in contacts[:ALARM_NAMES])
    more = "…" if len(contacts) > ALARM_NAMES else ""
    return ngettext(
        "⏰ {n} contact has waited for dispatch longer than {hours} h (quiet hours not counted): {ids}{more}. See /queue.",
        "⏰ {n} contacts have waited for dispatch longer than {hours} h (quiet hours not counted): {ids}{more}. See /queue.",
        len(contacts)).format(n=len(contacts), hours=hours, ids=ids, more=more)


def auto_handover(view: CardView, why: str) -> str:
    """Auto-dispatch gives up: the dispatchers get the contact with its offer history."""
    reason = {
        "tries": ngettext("after {n} offer", "after {n} offers",
                          view.contact.auto_tries).format(n=view.contact.auto_tries),
        "unserved": _("nobody serves this area"),
        "unknown_area": _("the place is not on the list of areas"),
        "duplicate": _("it may be a duplicate: decide first"),
        "nobody": _("no available multiplier"),
        "off": _("auto-dispatch was turned off"),
    }[why]
    lines = [_("🤖 Over to you: #{id} {who} — {reason}.").format(
        id=view.contact.id, who=summary(view.contact.details), reason=reason)]
    for offer in view.offers:
        lines.append(f"• {escape(view.names.get(offer.multiplier_id, '?'))}: "
                     f"{labels.offer_outcome(offer)}")
    return fit("\n".join(lines))


def offer_question(contact: Contact, days: int) -> str:
    """Urgent and concrete, never 'can you take a contact?'."""
    return ngettext("Can you reach {who} in the next {days} day?",
                    "Can you reach {who} in the next {days} days?", days).format(
        who=summary(contact.details), days=days)


def detail_rows(d: ContactDetails) -> list[tuple[str, str | None]]:
    """Every detail of a record, labelled: for those who may read the full record only."""
    return [
        (_("Phone"), d.phone), (_("Telegram"), f"@{d.tg_username}" if d.tg_username else None),
        (_("E-mail"), d.email), (_("Gender"), labels.gender(d.gender)),
        (_("Language"), labels.language(d.language)), (_("Area"), d.area),
        (_("Source"), d.source), (_("Notes"), d.notes),
    ]


def details(contact: Contact, offer: Offer | None, timezone: str) -> str:
    """Full details: only ever sent to the multiplier who accepted. Times in their own zone.
    Without an accepted offer on this record (a merge handed it over) there is no deadline."""
    d = contact.details
    rows = detail_rows(d)
    lines = [f"<b>#{contact.id} {escape(d.name)}</b>"]
    if offer is not None:
        accepted = offer.answered_at or offer.created_at
        lines = [_("<b>#{id} {name}</b> — please reach them by {deadline}.").format(
            id=contact.id, name=escape(d.name),
            deadline=labels.when(accepted + timedelta(days=offer.days), timezone))]
    lines += [f"{label}: {escape(str(value))}" for label, value in rows if value]
    lines.append(_("Stage: {stage}").format(stage=labels.status(contact.status)))
    return "\n".join(lines)


def stage_saved(contact: Contact) -> str:
    """A reminder answered with a stage: the details stay in the one message that has them."""
    return _("#{id} {who} — stage: {stage}").format(
        id=contact.id, who=summary(contact.details), stage=labels.status(contact.status))


def joined_notice(member: Member, role: Role) -> str:
    """To the admin whose invite was used: who it was, so a wrong person is noticed."""
    handle = f" (@{escape(member.username)})" if member.username else ""
    return _("{name}{handle} joined as {role} through your invite.").format(
        name=escape(member.name), handle=handle, role=labels.role(role))


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
    return ngettext(
        "⚠️ #{id} {who}: {name} has not answered {nags} reminder (stage: {stage}). Multiplier not responding.",
        "⚠️ #{id} {who}: {name} has not answered {nags} reminders (stage: {stage}). Multiplier not responding.",
        nags).format(
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


def offer_withdrawn_dm() -> str:
    return _("This offer was withdrawn by the dispatcher. Thank you!")


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
