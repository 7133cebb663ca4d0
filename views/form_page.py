"""The public lead form and its other pages: server-rendered HTML in the visitor's language.

Mobile first (readable at 360 px), no script and nothing fetched from elsewhere (the CSS is
inline), so the page works with JavaScript off and from the bot's own server alone. Every
value that is not ours (the admin's texts, the visitor's answers, area names) is escaped."""

from collections.abc import Mapping, Sequence
from html import escape

from aiogram.utils.i18n import gettext as _

from domain.contact_fields import FieldError
from domain.locales import SHIPPED
from domain.members import Gender
from domain.web_forms import CONSENT, HONEYPOT, REACH, TOKEN, Field, WebForm
from services.web_forms import Page
from views import labels
from views.import_texts import field_problem
from views.language_texts import native_name

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1b1b1b;background:#f6f6f4}
main{max-width:34rem;margin:0 auto;padding:1rem 1rem 2rem;overflow-wrap:anywhere}
nav{text-align:right;font-size:.9rem}
nav a{color:#1f5fa8;margin-left:.6rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 .75rem}
label{display:block;font-weight:600;margin:1.1rem 0 .3rem}
input,select,textarea{display:block;width:100%;max-width:100%;font:inherit;padding:.6rem .7rem;
border:1px solid #767676;border-radius:.4rem;background:#fff;color:inherit}
textarea{min-height:6rem;resize:vertical}
input:focus,select:focus,textarea:focus,button:focus{outline:3px solid #1f5fa8;outline-offset:1px}
[aria-invalid=true]{border:2px solid #b00020}
.err{color:#b00020;font-weight:600;margin:.3rem 0 0}
.notice{background:#fff4e5;border-left:4px solid #c05600;padding:.6rem .8rem}
.hint{color:#4a4a4a;font-size:.92rem;margin:.4rem 0 0}
label.consent{display:flex;gap:.6rem;align-items:flex-start;font-weight:400}
label.consent input{width:1.3rem;height:1.3rem;flex:none;margin:.15rem 0 0;padding:0}
button{display:block;width:100%;margin-top:1.5rem;padding:.8rem;font:inherit;font-weight:700;
color:#fff;background:#1f5fa8;border:0;border-radius:.4rem;cursor:pointer}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
"""


def _document(title: str, body: str) -> str:
    return ('<!doctype html>\n'
            f'<html lang="{escape(labels.locale())}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{escape(title)}</title>'
            f'<style>{CSS}</style></head><body><main>{body}</main></body></html>\n')


def _paragraphs(text: str) -> str:
    """An admin's text as typed: blank lines part paragraphs, single breaks stay breaks."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(escape(line) for line in part.split("\n")) + "</p>"
                   for part in parts)


def _sentence(text: str) -> str:
    """The chat's words for a field problem ("not a valid number …") stand alone here."""
    return text[:1].upper() + text[1:]


def _languages() -> str:
    """Links to the page in each shipped language, for a browser that asked for another."""
    here = labels.locale()
    links = [f'<a href="?lang={code}" hreflang="{code}" lang="{code}">{escape(native_name(code))}</a>'
             for code in SHIPPED if code != here]
    return f"<nav>{''.join(links)}</nav>"


def field_label(field: Field, form: WebForm) -> str:
    return {
        Field.NAME: _("Your name"),
        Field.PHONE: _("Phone"),
        Field.TELEGRAM: _("Telegram username"),
        Field.EMAIL: _("E-mail"),
        Field.GENDER: _("Gender"),
        Field.LANGUAGE: _("Language you speak"),
        Field.AREA: _("Area"),
        Field.QUESTION: form.question or _("Anything you would like to tell us?"),
    }[field]


def default_greeting() -> str:
    return _("Get in touch\n\nLeave your details and someone from our team will contact you.")


def default_consent() -> str:
    return _("I agree that the team keeps these details to get in touch with me.")


def form_page(page: Page, token: str, answers: Mapping[str, str] | None = None,
              errors: Sequence[FieldError] = (), notice: str = "") -> str:
    """The form, with the visitor's answers and each problem beside its field when shown
    again; `notice`: a line above the form (why it is shown again)."""
    form, answers = page.form, answers or {}
    problems = {e.field: _sentence(field_problem(e.code)) for e in reversed(errors)}  # first wins
    heading, _sep, rest = (form.greeting or default_greeting()).partition("\n")
    parts = [_languages(), f"<h1>{escape(heading.strip())}</h1>", _paragraphs(rest)]
    if notice:
        parts.append(f'<p class="notice" role="alert">{escape(notice)}</p>')
    elif problems:
        parts.append('<p class="notice" role="alert">'
                     + escape(_("Please check the fields marked below.")) + "</p>")
    parts.append('<form method="post" accept-charset="utf-8" novalidate>')
    reach = [f for f in form.asked if f in REACH]
    for field in form.asked:
        parts.append(_field(field, page, answers, problems.get(field)))
        if len(reach) > 1 and field is reach[-1]:  # under the ways to reach the seeker
            parts.append('<p class="hint">'
                         + escape(_("Give at least one way to reach you.")) + "</p>")
    parts.append(_consent(form, answers, problems.get(CONSENT)))
    send = escape(_("Send"))  # outside the f-string: gettext extraction must see it
    parts.append(f'<div class="hp" aria-hidden="true"><label>Website <input name="{HONEYPOT}" '
                 'tabindex="-1" autocomplete="off"></label></div>'
                 f'<input type="hidden" name="{TOKEN}" value="{escape(token)}">'
                 f'<button type="submit">{send}</button></form>')
    return _document(heading.strip(), "".join(parts))


#: The input each free-text field is: type, autocomplete, maxlength, inputmode.
_INPUTS = {
    Field.NAME: ("text", "name", 100, ""),
    Field.PHONE: ("tel", "tel", 40, "tel"),
    Field.TELEGRAM: ("text", "off", 40, ""),
    Field.EMAIL: ("email", "email", 100, "email"),
}


def _field(field: Field, page: Page, answers: Mapping[str, str], problem: str | None) -> str:
    name, value = field.value, answers.get(field.value, "")
    error = (f'<p class="err" id="{name}-err">{escape(problem)}</p>' if problem else "")
    attrs = f'id="{name}" name="{name}"'
    if problem:
        attrs += f' aria-invalid="true" aria-describedby="{name}-err"'
    label = f'<label for="{name}">{escape(field_label(field, page.form))}</label>'
    if field in _INPUTS:
        kind, complete, limit, mode = _INPUTS[field]
        extra = f' inputmode="{mode}"' if mode else ""
        extra += ' placeholder="@username"' if field is Field.TELEGRAM else ""
        extra += " required" if field is Field.NAME else ""
        control = (f'<input type="{kind}" {attrs} autocomplete="{complete}" maxlength="{limit}"'
                   f'{extra} value="{escape(value)}">')
    elif field is Field.QUESTION:
        control = f'<textarea {attrs} maxlength="800">{escape(value)}</textarea>'
    elif field is Field.AREA and not page.choices.areas:  # no list yet: the place as typed
        control = f'<input type="text" {attrs} maxlength="100" value="{escape(value)}">'
    else:
        control = f"<select {attrs}>{_options(field, page, value)}</select>"
    return label + control + error


def _options(field: Field, page: Page, chosen: str) -> str:
    if field is Field.GENDER:
        pairs = [("f", labels.gender(Gender.FEMALE)), ("m", labels.gender(Gender.MALE))]
    elif field is Field.LANGUAGE:
        pairs = [(code, native_name(code)) for code in page.choices.languages]
    else:
        pairs = sorted(page.choices.areas.items(), key=lambda kv: kv[1].casefold())
    options = ['<option value="">—</option>']
    for value, text in pairs:
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(text)}</option>')
    return "".join(options)


def _consent(form: WebForm, answers: Mapping[str, str], problem: str | None) -> str:
    checked = " checked" if answers.get(CONSENT) else ""
    invalid = f' aria-invalid="true" aria-describedby="{CONSENT}-err"' if problem else ""
    error = f'<p class="err" id="{CONSENT}-err">{escape(problem)}</p>' if problem else ""
    return (f'<label class="consent"><input type="checkbox" name="{CONSENT}" value="yes"'
            f'{checked}{invalid} required><span>{escape(form.consent or default_consent())}'
            f"</span></label>{error}")


def default_thanks() -> str:
    return _("Thank you!\n\nWe have your details: someone from our team will get in touch "
             "with you soon.")


def thanks_page(form: WebForm, bot_username: str | None) -> str:
    """The admin's text (its first line the heading), and when the visitor gave their
    Telegram name (`bot_username` is then given), an invitation to write to the bot."""
    heading, _sep, rest = (form.thanks or default_thanks()).partition("\n")
    body = [f"<h1>{escape(heading.strip())}</h1>", _paragraphs(rest)]
    if bot_username:
        link = f"https://t.me/{bot_username}"
        body.append(f'<p><a href="{escape(link)}">'
                    + escape(_("You can also write to us on Telegram: @{bot}").format(
                        bot=bot_username)) + "</a></p>")
    return _document(heading.strip(), "".join(body))


def closed_page() -> str:
    title = _("This form is closed")
    return _document(title, f"<h1>{escape(title)}</h1><p>" + escape(_(
        "Thank you for your interest. This form is not taking submissions at the moment; "
        "please try again later.")) + "</p>")


def not_found_page() -> str:
    title = _("No form here")
    return _document(title, f"<h1>{escape(title)}</h1><p>"
                     + escape(_("There is no form at this address. Check the link.")) + "</p>")


def refused_page(reason: str) -> str:
    """A submission we could not even read: `reason` is "too_large" or "unreadable"."""
    title = _("This could not be sent")
    text = {
        "too_large": _("What you sent is too long. Please shorten your answers and try again."),
    }.get(reason, _("What you sent could not be read. Please go back and try again."))
    return _document(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>")


def notice(reason: str) -> str:
    """Why the form is shown again without being taken (rate limit, a bot check, a page left
    open too long): the visitor can send it again."""
    return {
        "rate": _("Too many submissions came from here just now. Please wait a minute and "
                  "send the form again."),
        "stale": _("This page was open for a long time. Please check your answers and send "
                   "the form again."),
    }.get(reason, _("We could not take this submission. Please check your answers and send "
                    "the form again."))
