"""Texts and buttons of seekers' conversations: the triage card, relayed messages, statuses."""

from datetime import datetime
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.conversations import (
    KEEP,
    OPEN_TRIAGE,
    OTHER,
    UNKNOWN,
    ContactDraft,
    Conversation,
    ConversationMessage,
    Direction,
    DraftField,
    Kind,
    RelayStatus,
    Triage,
    TriageAction,
)
from domain.contacts import Contact
from domain.masking import mask_contact_details
from domain.members import Gender, Member
from services.triage import TriageCard
from views import labels
from views.callbacks import (
    DraftPick,
    DraftSend,
    Held,
    HeldStep,
    Satisfied,
    ShareContact,
    TriageAct,
)
from views.keyboard_builder import Keyboard
from views.texts import fit, summary

CAPTION_LIMIT = 1000  # Telegram: 1,024 characters of caption
SNIPPET = 300  # characters of each message on the triage card


def greeting() -> str:
    return _("Hello! Thank you for writing. Someone from our team will read your message and answer you here soon.")


def slow_down() -> str:
    return _("You are sending messages very fast. Please slow down: the next ones will not reach us for a minute.")


def too_long(limit: int) -> str:
    return ngettext("That message is too long (at most {n} character). Please send it shorter.",
                    "That message is too long (at most {n} characters). Please send it shorter.",
                    limit).format(n=limit)


def too_big(limit_mb: float) -> str:
    return _("That file is too big (at most {n} MB).").format(n=labels.decimal(limit_mb))


def unsupported() -> str:
    return _("I can pass on text, photos, voice messages and documents.")


def kind_label(kind: Kind) -> str:
    return {Kind.TEXT: _("text"), Kind.PHOTO: _("photo"), Kind.VOICE: _("voice message"),
            Kind.DOCUMENT: _("document")}[kind]


def relay_status(value: RelayStatus) -> str:
    return {
        RelayStatus.NONE: "",
        RelayStatus.SEEKER_REPLIED: _("seeker replied"),
        RelayStatus.AWAITING_SEEKER: _("awaiting seeker"),
        RelayStatus.NOT_RESPONDING: _("multiplier not responding"),
        RelayStatus.CLOSED: _("closed: the seeker never answered"),
    }[value]


def _who(conv: Conversation) -> str:
    handle = f" @{escape(conv.seeker_username)}" if conv.seeker_username else ""
    return f"{escape(conv.seeker_name)}{handle}"


def _line(message: ConversationMessage, masked: bool = False, limit: int | None = None) -> str:
    """One message as a line; `masked` for the team chat, where contact details are hidden."""
    arrow = "→" if message.direction is Direction.IN else "←"
    media = f"[{kind_label(message.kind)}] " if message.kind is not Kind.TEXT else ""
    words = message.text or ""
    if masked:
        words = mask_contact_details(words, _("[hidden]"))
    body = escape(words[:limit])
    return f"{arrow} {media}{body}".rstrip()


def triage_card(card: TriageCard, now: datetime) -> str:
    conv = card.conversation
    count = ngettext("{n} message", "{n} messages", card.count).format(n=card.count)
    lines = [_("💬 <b>Seeker</b> {who} — {count}, first {age} ago").format(
        who=_who(conv), count=count, age=labels.ago(conv.round_started_at, now))]
    lines.append(_triage_state(card))
    lines += ["", *(_line(m, masked=True, limit=SNIPPET) for m in card.latest)]
    if card.count > len([m for m in card.latest if m.direction is Direction.IN]):
        lines.insert(2, _("(latest messages)"))
    return fit("\n".join(lines))


def claimed_conversation(card: TriageCard) -> str:
    """The claimer's private copy: the seeker's words as written, contact details included
    (the team chat's card hides them)."""
    lines = [_("💬 You claimed the request of {who}. Their messages, as written:").format(
        who=_who(card.conversation)),
        _("Reply to this message to answer them before dispatch; they see the team's bot, not your account."),
        ""]
    lines += [_line(m) for m in card.history]
    return fit("\n".join(lines))


def _triage_state(card: TriageCard) -> str:
    conv = card.conversation

    def name(member_id: int | None) -> str:
        return escape(card.names.get(member_id or 0, "?"))

    if conv.triage is Triage.NEW:
        return _("New: waiting for an operator")
    if conv.triage is Triage.CLAIMED and conv.draft is not None:
        return _("Claimed by {name} · confirming a contact").format(name=name(conv.claimed_by))
    if conv.triage is Triage.CLAIMED:
        return _("Claimed by {name}").format(name=name(conv.claimed_by))
    if conv.triage is Triage.SPAM:
        return _("Spam (by {name}): the sender is muted").format(name=name(conv.triaged_by))
    if conv.triage is Triage.READ:
        return _("Read, no action (by {name})").format(name=name(conv.triaged_by))
    contact = card.contact
    status = f" · {labels.status(contact.status)}" if contact else ""
    if card.holder_gone:
        status += " · " + _("holder no longer on the team")
    return _("Contact #{id} (by {name}){status}").format(
        id=conv.contact_id, name=name(conv.triaged_by), status=status)


def triage_keyboard(card: TriageCard) -> InlineKeyboardMarkup | None:
    conv = card.conversation
    if conv.triage not in OPEN_TRIAGE:
        return None
    kb = Keyboard()
    if conv.triage is Triage.NEW:
        kb.button(text=_("Claim"), callback_data=TriageAct(conversation_id=conv.id,
                                                           action=TriageAction.CLAIM))
    kb.button(text=_("Make contact"), callback_data=TriageAct(conversation_id=conv.id,
                                                              action=TriageAction.CONTACT))
    kb.button(text=_("Spam"), callback_data=TriageAct(conversation_id=conv.id,
                                                      action=TriageAction.SPAM))
    kb.button(text=_("Read, no action"), callback_data=TriageAct(conversation_id=conv.id,
                                                                 action=TriageAction.READ))
    kb.adjust(2)
    return kb.as_markup()


# ------------------------------------------------------- confirming a contact (Make contact)


def draft_text(conv: Conversation, draft: ContactDraft, step: DraftField | None) -> str:
    """The operator's private dialog after Make contact: the record so far and the question
    of this step (None: ready to send). The guesses come first on the buttons."""
    lines = [
        _("📝 A contact from the request of {who}: confirm or fix it before it enters dispatch.").format(
            who=_who(conv)),
        "",
        _("Gender: {value}").format(value=labels.gender(draft.gender)),
        _("Language: {value}").format(value=labels.language(draft.language)),
        _("Area: {value}").format(value=escape(draft.area) if draft.area else _("not known")),
        "",
    ]
    if step is DraftField.GENDER:
        lines.append(_("Gender?"))
    elif step is DraftField.LANGUAGE:
        lines.append(_("Which language do they speak? The first button is the guess from Telegram."))
    elif step is DraftField.AREA:
        lines.append(_("Where do they live? The first button is a place their words name."))
    else:
        lines.append(_("Ready. It enters dispatch when you press “Send to dispatch”."))
    return "\n".join(lines)


def draft_keyboard(conv_id: int, draft: ContactDraft, step: DraftField | None,
                   languages: list[str]) -> InlineKeyboardMarkup:
    """Each step can be left unknown; the last one sends the contact to dispatch."""
    kb = Keyboard()

    def button(text: str, value: str) -> None:
        kb.button(text=text, callback_data=DraftPick(conversation_id=conv_id, field=step,
                                                     value=value))

    if step is DraftField.GENDER:
        button(labels.gender(Gender.FEMALE, short=True), Gender.FEMALE.value)
        button(labels.gender(Gender.MALE, short=True), Gender.MALE.value)
        button(_("Unknown"), Gender.UNKNOWN.value)
    elif step is DraftField.LANGUAGE:
        for code in dict.fromkeys([draft.language, *languages]):
            if code:
                button(labels.language(code), code)
        button(_("Unknown"), UNKNOWN)
    elif step is DraftField.AREA:
        if draft.area:
            button(draft.area, KEEP)
        button(_("Other…"), OTHER)
        button(_("Unknown"), UNKNOWN)
    else:
        kb.button(text=_("Send to dispatch"), callback_data=DraftSend(conversation_id=conv_id))
    kb.adjust(3)
    return kb.as_markup()


def draft_area_prompt() -> str:
    return _("Type the area as they named it.")


def draft_opened() -> str:
    """The answer to Make contact on the team chat's card."""
    return _("Confirm the details in our private chat; it enters dispatch when you send it.")


def draft_sent(contact_id: int, created: bool) -> str:
    if not created:
        return _("We already have this seeker: their request was added to #{id}.").format(
            id=contact_id)
    return _("Sent to dispatch as #{id}; its card is in the team chat.").format(id=contact_id)


def draft_unreachable() -> str:
    return _("I cannot write to you in private: open a chat with me (Start), then press Make contact again.")


def relay_header(conv: Conversation, contact_id: int | None) -> str:
    """On every message relayed to the multiplier (or, before dispatch, to the operator who
    claimed the request: no contact number yet): who it is from, and how to answer."""
    if contact_id is None:
        return _("💬 From {who} — reply to this message to answer.").format(
            who=escape(conv.seeker_name))
    return _("💬 From {who} (#{id}) — reply to this message to answer.").format(
        who=escape(conv.seeker_name), id=contact_id or "?")


def relayed(conv: Conversation, contact_id: int | None, text: str | None,
            limit: int, edited: bool = False) -> str:
    """The seeker's words are cut, not the header: a long paragraph still arrives (shortened,
    with "…"), since fit() would cut at the header's line break. Escaping may lengthen the
    text, so the raw words are shortened until their escaped form fits. `edited`: the seeker
    changed a message they had sent; this is its new text."""
    header = relay_header(conv, contact_id)
    if edited:
        header += "\n\n" + _("✏️ edited:")
    room = limit - len(header) - 2
    raw = text or ""
    if len(escape(raw)) > room:
        low, high = 0, len(raw)  # the longest start whose escaped form and "…" fit
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if len(escape(raw[:mid])) + 1 <= room else (low, mid - 1)
        raw = raw[:low] + "…"
    return header + ((" " if edited else "\n\n") + escape(raw) if raw else "")


def intro(conv: Conversation, contact_id: int, history: list[ConversationMessage]) -> str:
    lines = [_("💬 <b>{who}</b> (#{id}) wrote to the team's bot. Reply to this message to answer them; they see the team's bot, not your account.").format(
        who=escape(conv.seeker_name), id=contact_id), ""]
    lines += [_line(m, limit=SNIPPET) for m in history]
    return fit("\n".join(lines))


def handoff(holder_name: str, days: int, again: bool) -> str:
    """To the seeker after Yes: who from the team will contact them, and by when. Their
    given name only (the seeker never sees the member's account)."""
    name = escape(holder_name.split()[0] if holder_name.split() else holder_name)
    if again:
        return ngettext("From now on {name} from our team will be in touch with you instead, within {n} day.",
                        "From now on {name} from our team will be in touch with you instead, within {n} days.",
                        days).format(name=name, n=days)
    return ngettext("Good news: {name} from our team will contact you within {n} day. You can keep writing here.",
                    "Good news: {name} from our team will contact you within {n} days. You can keep writing here.",
                    days).format(name=name, n=days)


def share_keyboard(conversation_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Share my contact"), callback_data=ShareContact(conversation_id=conversation_id))
    return kb.as_markup()


def shared_contact(name: str, username: str) -> str:
    return _("You can also write to {name} directly: @{username}").format(
        name=escape(name), username=escape(username))


def not_responding(conv: Conversation, contact_id: int, since: datetime, now: datetime) -> str:
    return _("💬 {who} (#{id}) wrote {age} ago and is waiting for your answer. Reply to their message to answer.").format(
        who=escape(conv.seeker_name), id=contact_id, age=labels.ago(since, now))


def closed_no_answer(conv: Conversation, contact_id: int) -> str:
    return _("💬 #{id} {who} never answered the first message; the conversation was closed.").format(
        who=escape(conv.seeker_name), id=contact_id)


def relay_failed(conv: Conversation) -> str:
    return _("Not delivered to {who}: the seeker cannot be reached by the bot (they may have blocked it).").format(
        who=_who(conv))


def satisfaction_question(conversation_id: int) -> tuple[str, str]:
    """To the seeker, some days after they met someone from the team."""
    kb = Keyboard()
    kb.button(text=_("Yes, it helped"),
              callback_data=Satisfied(conversation_id=conversation_id, helped=True))
    kb.button(text=_("No"), callback_data=Satisfied(conversation_id=conversation_id,
                                                    helped=False))
    return (_("You met someone from our team a few days ago. Did the meeting help you?"),
            kb.as_markup().model_dump_json())


def satisfaction_thanks(helped: bool) -> str:
    if helped:
        return _("Thank you! We are glad it helped.")
    return _("Thank you for telling us. We will look for someone else for you.")


def unsatisfied_note(contact: Contact, holder: Member, silent: bool) -> tuple[str, str]:
    """To the team: the seeker said the meeting did not help, or never answered whether it
    did (`silent`). No details: the team chat reads it."""
    kb = Keyboard()
    kb.button(text=_("Find someone else"), callback_data=Held(
        step=HeldStep.REASSIGN, contact_id=contact.id, holder_id=holder.id))
    text = _("😕 #{id} {who} never answered whether the meeting with {name} helped.") if silent \
        else _("😕 #{id} {who}: the seeker says the meeting with {name} did not help.")
    return (text.format(id=contact.id, who=summary(contact.details), name=escape(holder.name)),
            kb.as_markup().model_dump_json())
