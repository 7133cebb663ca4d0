"""/form in the admin's chat: a form's panel, the list, the embed snippet and the QR code."""

import io
from collections.abc import Sequence
from html import escape

import segno
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from domain.errors import DomainError
from domain.locales import SHIPPED
from domain.web_forms import TEXT_LIMITS, TEXTS, Field, WebForm, address
from services.web_forms import Listed
from views import labels
from views.callbacks import FormAct
from views.keyboard_builder import Keyboard

#: How much of an admin's text the panel shows.
PREVIEW = 120


def usage() -> str:
    return _("Usage: /form new NAME · /form list\n"
             "NAME is the form's address, e.g. spring-campaign: its page is /form/spring-campaign "
             "and its contacts are marked form:spring-campaign.")


def field_name(field: Field) -> str:
    return {
        Field.NAME: _("Name"),
        Field.PHONE: _("Phone"),
        Field.TELEGRAM: _("Telegram"),
        Field.EMAIL: _("E-mail"),
        Field.GENDER: _("Gender"),
        Field.LANGUAGE: _("Language"),
        Field.AREA: _("Area (the team's list)"),
        Field.QUESTION: _("Free question"),
    }[field]


def text_name(which: str) -> str:
    return {
        "greeting": _("Greeting"),
        "thanks": _("Thank-you text"),
        "consent": _("Consent line"),
        "question": _("Question"),
        "source_tag": _("Source tag"),
    }.get(which, which)


def no_server() -> str:
    return _("No server shows the forms yet: set API_PORT (polling mode) or run in webhook "
             "mode, and FORM_BASE_URL to the address visitors reach it at.")


def _preview(text: str) -> str:
    if not text:
        return _("(built-in)")
    short = text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
    return escape(" ".join(short.split()))


def state(form: WebForm) -> str:
    return _("paused") if form.paused else _("open")


def panel(form: WebForm, base: str) -> str:
    link = escape(address(base, form.slug)) if base else no_server()
    source = form.channel + (f" · {form.source_tag}" if form.source_tag else "")
    lines = [_("<b>Web form {slug}</b> — {state}").format(slug=escape(form.slug), state=state(form)),
             _("Link: {link}").format(link=link),
             _("Asks: {fields}").format(fields=", ".join(field_name(f) for f in form.asked)),
             ""]
    lines += [f"{text_name(which)}: {_preview(getattr(form, which))}"
              for which in TEXTS if which != "source_tag"]
    lines += [_("Contacts are marked: {source}").format(source=escape(source)), "",
              _("Tap a field to ask it or not; tap a text to change it.")]
    return "\n".join(lines)


def panel_keyboard(form: WebForm) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for field in Field:
        mark = "✓ " if field in form.fields else ""
        kb.button(text=mark + field_name(field),
                  callback_data=FormAct(action="field", form_id=form.id, value=field.value))
    for which in TEXTS:
        kb.button(text=text_name(which) + "…",
                  callback_data=FormAct(action="text", form_id=form.id, value=which))
    pause = (_("▶ Resume"), "resume") if form.paused else (_("⏸ Pause"), "pause")
    for text, action in (pause, (_("Link and embed"), "link"), (_("QR code"), "qr"),
                         (_("Delete"), "delete"), (_("« All forms"), "list")):
        kb.button(text=text, callback_data=FormAct(action=action, form_id=form.id))
    kb.adjust(2, 2, 2, 2, 2, 2, 1, 2, 2, 1)
    return kb.as_markup()


def forms_list(listed: Sequence[Listed]) -> str:
    if not listed:
        return _("No web forms yet. Make one with /form new NAME (e.g. /form new spring-campaign).")
    lines = [_("<b>Web forms</b> (since each was made)")]
    lines += [_("• {slug} — {state}: {sent} sent, {refused} refused").format(
        slug=escape(item.form.slug), state=state(item.form), sent=item.sent, refused=item.refused)
        for item in listed]
    return "\n".join(lines)


def list_keyboard(listed: Sequence[Listed]) -> InlineKeyboardMarkup | None:
    kb = Keyboard()
    for item in listed:
        kb.button(text=item.form.slug, callback_data=FormAct(action="open", form_id=item.form.id))
    kb.adjust(2)
    return kb.as_markup() if listed else None


def ask(which: str, form: WebForm) -> str:
    hint = {
        "greeting": _("Its first line is the page's heading."),
        "thanks": _("Shown after the form was sent; its first line is the heading."),
        "consent": _("The line the visitor ticks to agree."),
        "question": _("The answer is kept in the contact's notes."),
        "source_tag": _("It follows form:{slug} in the contact's source (e.g. facebook-ad).").format(
            slug=escape(form.slug)),
    }.get(which, "")
    return _("{text} of {slug}: send the new text (at most {n} characters). {hint}\n"
             "Send - to put the built-in one back, or /cancel.").format(
        text=text_name(which), slug=escape(form.slug), n=TEXT_LIMITS.get(which, 0), hint=hint)


def embed(form: WebForm, base: str) -> str:
    """The plain link and an <iframe> snippet for the team's page, as code to copy."""
    if not base:
        return no_server()
    url = address(base, form.slug)
    link = _("Open the form")  # outside the f-string: gettext extraction must see it
    snippet = (f'<iframe src="{url}" title="{form.slug}" loading="lazy" '
               'style="width:100%;max-width:36rem;height:52rem;border:0"></iframe>\n'
               f'<p><a href="{url}">{link}</a></p>')
    return "\n".join([
        _("<b>{slug}</b>: link for ads and messages:").format(slug=escape(form.slug)),
        escape(url), "",
        _("To show it inside your web page, paste this where it should be:"),
        f"<pre>{escape(snippet)}</pre>",
        _("The page follows the visitor's browser language; add ?lang= and a code ({codes}) "
          "to the address to fix one.").format(codes=", ".join(SHIPPED)),
    ])


def qr_caption(form: WebForm, base: str) -> str:
    return _("QR code for {slug}: {url}").format(slug=escape(form.slug),
                                                 url=escape(address(base, form.slug)))


def qr_png(url: str) -> bytes:
    """Large enough to print on a poster; the PNG is sent as a file so it is not recompressed."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=16, border=4)
    return buffer.getvalue()


def delete_question(form: WebForm) -> str:
    return _("Delete the form {slug} for good? Its page stops at once; the contacts it brought "
             "stay.").format(slug=escape(form.slug))


def delete_keyboard(form: WebForm) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Yes, delete it"), callback_data=FormAct(action="delete_yes", form_id=form.id))
    kb.button(text=_("No, keep it"), callback_data=FormAct(action="open", form_id=form.id))
    return kb.as_markup()


def deleted(form: WebForm) -> str:
    return _("Form {slug} deleted.").format(slug=escape(form.slug))


def refusal(exc: DomainError, slug: str = "") -> str:
    """The /form refusals in the admin's words; others as everywhere (views.labels.error)."""
    texts = {
        "slug": _("A form's name is 1-40 lowercase letters, digits or dashes, e.g. "
                  "spring-campaign."),
        "form_exists": _("A form named {slug} exists already: see /form list.").format(
            slug=escape(slug)),
        "name_always": _("A contact always has a name: the form always asks it."),
        "reach": _("The form must ask at least one way to reach the seeker: phone, Telegram "
                   "or e-mail."),
        "too_long": _("That is too long; send a shorter text, or /cancel."),
        "paused": _("The form is paused already."),
        "open": _("The form is open already."),
    }
    return texts.get(exc.detail) or labels.error(exc)
