"""A contact's own screen, its timeline, the /contacts and /my pages, the burst summary and
the edit dialog's words. HTML: every typed value is escaped. Full details appear only when
the screen says the viewer may read them (services.contact_screen.Screen.full)."""

from dataclasses import replace
from datetime import datetime
from html import escape
from itertools import groupby

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.areas import AreaMap
from domain.contact_access import PRIVATE_FIELDS, Action
from domain.contacts import Contact, ContactDetails, Status
from domain.conversations import RelayStatus
from domain.members import Gender, Member
from domain.offers import OfferStatus
from domain.timeline import Event
from services.contact_lists import Listing
from services.contact_screen import Screen
from views import conversation_texts, labels, record_texts, texts


def screen(s: Screen, timezone: str, now: datetime) -> str:
    """Full: every detail, then what the card says; card level: the card itself. Then the
    history, in the reader's zone."""
    if s.full:
        lines = [*_record(s.contact), texts.status_line(s.card, now)]
        if s.contact.dispatch_note:
            lines.append(_("Handed back: {note}").format(note=escape(s.contact.dispatch_note)))
        lines += record_texts.full_lines(s.contact, s.card.milestones, timezone)
        lines += _suspects(s)
        if Action.DISPATCH in s.actions and s.contact.status is Status.NEW:
            lines += ["", texts.suggestions(s.card, now)]  # what the offer buttons stand on
    else:
        lines = [texts.card(s.card, now)]
    if s.contact.card_held:
        lines.append(_("📦 Arrived in a burst: its card is not in the team chat yet."))
    lines += ["", *timeline(s, timezone)]
    return texts.fit("\n".join(lines))


def _record(contact: Contact) -> list[str]:
    """Every detail there is (the stage follows in the status line)."""
    d = contact.details
    rows = texts.detail_rows(d)
    return [f"<b>#{contact.id} {escape(d.name)}</b>",
            *(f"{label}: {escape(str(value))}" for label, value in rows if value)]


def _suspects(s: Screen) -> list[str]:
    lines = []
    for suspect in s.card.suspects:
        other = suspect.other_id if suspect.contact_id == s.contact.id else suspect.contact_id
        lines.append(_("⚠️ Possible duplicate of #{id} ({reasons})").format(
            id=other, reasons=", ".join(labels.duplicate_reason(r) for r in suspect.reasons)))
    return lines


def timeline(s: Screen, timezone: str) -> list[str]:
    lines = [_("<b>History</b> ({zone})").format(zone=escape(timezone))]
    if s.timeline.earlier:
        lines.append(ngettext("… {n} earlier event", "… {n} earlier events",
                              s.timeline.earlier).format(n=s.timeline.earlier))
    for e in s.timeline.events:
        line = record_texts.event(e, _name(s, e.actor_id), timezone, s.full)
        lines.append(f"{labels.moment(e.at, timezone)} · {line or event(e, s, s.card.areas)}")
    return lines


def _name(s: Screen, member_id: int | None) -> str:
    return escape(s.names.get(member_id, "?")) if member_id is not None else _("the bot")


def event(e: Event, s: Screen, areas: AreaMap) -> str:
    """One line of history in the reader's words; values the team chat may not see are left
    out of a card-level screen."""
    who = _name(s, e.actor_id)
    if e.kind == "offer" and e.offer is not None:
        return _offer(e, s)
    if e.kind == "create":
        source = (e.after or {}).get("source") if isinstance(e.after, dict) else None
        return _("entered by {who} ({source})").format(
            who=who, source=escape(source or _("unknown source")))
    if e.kind == "touch":
        return _touch(e)
    if e.kind == "stage" and isinstance(e.after, str) and e.after in Status._value2member_map_:
        return _("stage: {stage} ({who})").format(stage=labels.status(Status(e.after)), who=who)
    if e.kind == "edit":
        return _edit(e, s, who)
    if e.kind == "map_area":
        return _("area mapped to {area} ({who})").format(
            area=escape(areas.name(str(e.after or ""))), who=who)
    if e.kind.startswith("close:"):
        return _("closed: {reason} ({who})").format(
            reason=labels.close_reason(e.kind.split(":", 1)[1]), who=who)
    if e.kind == "merge" and isinstance(e.after, dict):
        return _("#{id} merged into this record ({who})").format(id=e.after.get("merged"), who=who)
    if e.kind == "merged_into" and isinstance(e.after, dict):
        return _("merged into #{id} ({who})").format(id=e.after.get("keeper"), who=who)
    if e.kind == "not_duplicate" and isinstance(e.after, dict):
        return _("not a duplicate of #{id} ({who})").format(id=e.after.get("other"), who=who)
    return _simple(e.kind, who)


def _simple(kind: str, who: str) -> str:
    """Actions told in a few words; one not listed (a newer action) still gets a line."""
    words = {
        "hand_back": _("handed back by {who}"),
        "reassign": _("taken from its holder and back in dispatch ({who})"),
        "ask_update": _("🔔 update asked ({who})"),
        "message_holder": _("message to the holder ({who})"),
        "leaver": _("back in dispatch: its holder left the team"),
        "hold": _("put on hold ({who})"),
        "resume": _("back in dispatch ({who})"),
        "unmerge": _("merge undone ({who})"),
        "nag": _("update requested: reminder sent"),
        "escalate": _("⚠️ multiplier not responding"),
        "escalation:reassign": _("back in dispatch after no answer ({who})"),
        "escalation:remind": _("reminded again ({who})"),
        "escalation:more_time": _("more time given ({who})"),
        "auto_handover": _("🤖 auto-dispatch handed it to the dispatchers"),
        "auto_close": _("closed: no response"),
        "no_answer_close": _("closed: the seeker never answered"),
    }.get(kind)
    return (words or "{action} ({who})").format(who=who, action=escape(kind))


def _offer(e: Event, s: Screen) -> str:
    offer = e.offer
    assert offer is not None
    to = escape(s.names.get(offer.multiplier_id, "?"))
    by = _("🤖") if offer.automatic else _name(s, offer.offered_by)
    outcome = labels.offer_outcome(offer)
    if offer.status is OfferStatus.ACCEPTED and offer.answered_at \
            and offer.answered_at > offer.created_at:
        outcome += " " + _("after {time}").format(
            time=labels.ago(offer.created_at, offer.answered_at))
    return _("offered to {name} ({by}): {outcome}").format(name=to, by=by, outcome=outcome)


def _touch(e: Event) -> str:
    after = e.after if isinstance(e.after, dict) else {}
    added = ", ".join(labels.contact_field(f) for f in after.get("added") or {})
    line = _("got in touch again via {source}").format(
        source=escape(after.get("source") or _("unknown source")))
    return line + (" " + _("(added: {fields})").format(fields=added) if added else "")


def _edit(e: Event, s: Screen, who: str) -> str:
    before = e.before if isinstance(e.before, dict) else {}
    after = e.after if isinstance(e.after, dict) else {}
    name = next(iter(after), "")
    field = labels.contact_field(name)
    if not s.full and name in PRIVATE_FIELDS:
        return _("{field} changed ({who})").format(field=field, who=who)
    return _("{field}: {old} → {new} ({who})").format(
        field=field, old=shown(name, before.get(name)), new=shown(name, after.get(name)),
        who=who)


def shown(name: str, value: object) -> str:
    """A detail's value as a person reads it; "—" for none."""
    if value in (None, ""):
        return "—"
    if name == "gender" and value in Gender._value2member_map_:
        return labels.gender(Gender(value))
    if name == "language":
        return escape(labels.language(str(value)))
    if name == "tg_username":
        return escape(f"@{value}")
    return escape(str(value))


# ---------------------------------------------------------------------- lists


def who(details: ContactDetails, full: bool) -> str:
    """A list line's person: the full name in a private chat, the given name elsewhere."""
    return texts.summary(replace(details, given_name=details.name) if full else details)


def entry(contact: Contact, names: dict[int, str], full: bool) -> str:
    line = _("#{id} {who} — {status}").format(id=contact.id, who=who(contact.details, full),
                                              status=labels.status(contact.status))
    if contact.is_assigned and contact.assignee_id is not None:
        line += " · " + escape(names.get(contact.assignee_id, "?"))
    if contact.is_assigned and (contact.nag_count or contact.escalated_at):
        line += " · " + _("⏰ overdue")
    return line


def listing(page: Listing, full: bool) -> str:
    lines = [_("<b>Contacts</b>: {what} — {n}").format(what=describe(page), n=page.total)]
    if page.pages > 1:
        lines.append(_("page {page} of {pages}").format(page=page.page + 1, pages=page.pages))
    lines += [entry(c, page.names, full) for c in page.contacts] or [_("None.")]
    return texts.fit("\n".join(lines))


def describe(page: Listing) -> str:
    """The filter in words: "reached · Anna · Podil · overdue · source “csv”"."""
    flt = page.filter
    parts = [labels.status(s) for s in sorted(flt.stages, key=list(Status).index)] \
        or [_("all open")]
    if flt.multiplier_id is not None:
        parts.append(escape(page.names.get(flt.multiplier_id, "?")))
    if flt.area_key is not None:
        parts.append(escape(page.areas.name(flt.area_key)))
    if flt.overdue:
        parts.append(_("overdue"))
    if flt.source:
        parts.append(_("source “{word}”").format(word=escape(flt.source)))
    if page.batch is not None:
        parts.append(_("arrived together from {source}").format(
            source=source_name(page.batch.channel)))
    return " · ".join(parts)


def source_name(channel: str) -> str:
    """"leads.csv" for "csv:leads.csv", "the API (webform)" for "api:webform"."""
    kind, _sep, name = channel.partition(":")
    if kind == "csv" and name:
        return escape(name)
    if kind == "api" and name:
        return _("the API ({key})").format(key=escape(name))
    return escape(channel)


def my_page(contacts: list[Contact], talks: dict[int, RelayStatus], page: int, pages: int,
            timezone: str, now: datetime) -> str:
    """/my: a page of the multiplier's own contacts, by stage, with how long each has been
    there and whether a seeker waits for an answer."""
    lines = [_("<b>Your contacts</b>")]
    if pages > 1:
        lines.append(_("page {page} of {pages}").format(page=page + 1, pages=pages))
    for status, group in groupby(contacts, key=lambda c: c.status):
        lines.append(f"\n<b>{labels.status(status).capitalize()}</b>")
        for c in group:
            since = c.stage_changed_at or c.created_at
            lines.append(_("#{id} {who} — for {age}, since {when}").format(
                id=c.id, who=texts.summary(c.details), age=labels.ago(since, now),
                when=labels.when(since, timezone))
                + (f" · 💬 {conversation_texts.relay_status(talks[c.id])}" if c.id in talks
                   else ""))
    return texts.fit("\n".join(lines))


def burst_summary(count: int, channel: str) -> str:
    return ngettext(
        "📦 {n} new contact from {source}. Its card is posted here when someone opens or offers it; until then it waits in /queue.",
        "📦 {n} new contacts from {source}. Their cards are posted here when someone opens or offers one; until then they wait in /queue.",
        count).format(n=count, source=source_name(channel))


# ---------------------------------------------------------------------- editing


def edit_menu(contact: Contact) -> str:
    return _("#{id} {name}: which detail do you want to change?").format(
        id=contact.id, name=escape(contact.details.name))


def edit_prompt(contact: Contact, name: str) -> str:
    now = _("#{id} {name}: {field} is now {value}.").format(
        id=contact.id, name=escape(contact.details.name), field=labels.contact_field(name),
        value=shown(name, getattr(contact.details, name)))
    ask = {
        "name": _("Send the full name."),
        "phone": _("Send the phone number with the country code, e.g. +380 44 123 4567, or - to remove it."),
        "tg_username": _("Send the Telegram @username, or - to remove it."),
        "email": _("Send the e-mail address, or - to remove it."),
        "gender": _("Gender?"),
        "language": _("Which language do they speak?"),
        "area": _("Send the city / area, or - to remove it."),
        "source": _("Send where they came from, or - to remove it."),
        "notes": _("Send the notes for the multiplier, or - to remove them."),
    }[name]
    return f"{now} {ask}" + ("" if name in ("gender", "language") else " " + _("(/cancel to stop)"))


def edit_problem(detail: str) -> str:
    """Why a typed value was not taken; the dialog asks again."""
    return {
        "phone": _("That phone number is not valid. Include the country code, e.g. +380 44 123 4567."),
        "email": _("That does not look like an e-mail address."),
        "username": _("That is not a Telegram username (5 to 32 letters, digits or _)."),
        "too_long": _("That is too long; please shorten it."),
        "reach": _("Then there would be no way to reach them: keep a phone, a Telegram username or an e-mail."),
    }.get(detail, _("Please send some text."))


def edited(contact: Contact, name: str, changed: bool) -> str:
    if not changed:
        return _("Nothing changed: that is what it was.")
    return _("Saved: {field} of #{id}.").format(field=labels.contact_field(name), id=contact.id)


def edited_notice(contact: Contact, name: str, editor: str) -> str:
    """To the holder, in private: they are the one calling the seeker."""
    return _("✏️ #{id} {name}: {field} is now {value} (changed by {editor}).").format(
        id=contact.id, name=escape(contact.details.name), field=labels.contact_field(name),
        value=shown(name, getattr(contact.details, name)), editor=escape(editor))


def reader_zone(member: Member | None, in_private: bool, team_zone: str) -> str:
    """Times on a screen: the member's own zone in their private chat, the team's in the
    team chat (everyone there reads it)."""
    return (member.timezone if member and in_private else None) or team_zone
