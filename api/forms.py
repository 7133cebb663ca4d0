"""GET and POST /form/<slug>: the public lead form, on the same server as the intake API.

A post meets, in order: the form is open; the rate limits (per visitor address, per form);
the size limit; a readable form body; the bot checks (honeypot, the page's signed token, the
minimum fill time); the field rules. What a bot's post fails is counted as refused for the
form and the page is shown again (a person can send it again); a person's mistakes are shown
beside their fields and nothing is stored; a good post enters intake and gets the thank-you."""

import contextlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from api.bodies import read_limited
from api.form_limits import FormLimits
from domain.contact_fields import FieldError
from domain.contacts import ContactDetails
from domain.errors import DomainError, InvalidInput, NotAllowed
from domain.locales import from_accept_language, shipped
from domain.web_forms import (
    Screen,
    check_answers,
    gave_username,
    issue_token,
    parse_slug,
    read_answers,
    screen,
)
from scheduler.context import JobContext
from services import web_forms
from services.web_forms import Page
from views import duplicate_texts, form_page
from views.language import for_reader

log = logging.getLogger(__name__)


@dataclass
class FormDeps:
    """What the form pages need from the running bot (built once in bot.app.run)."""

    ctx: JobContext
    limits: FormLimits
    secret: bytes  # signs the pages' tokens (Settings.form_key)
    bot_username: str  # for "write to us on Telegram" on the thank-you page


FORMS = web.AppKey("forms", FormDeps)

#: The page runs no script and loads nothing from elsewhere; it may be framed anywhere (it is
#: made to be embedded); a token is per render, so nothing is cached.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _html(text: str, status: int = 200, **headers: str) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8",
                        headers={**HEADERS, **headers})


@contextlib.contextmanager
def _speaking(deps: FormDeps, request: web.Request, page: Page | None) -> Iterator[None]:
    """The visitor's language: ?lang= (the embed may fix one), else the browser's, else the
    team's."""
    i18n = deps.ctx.i18n
    locale = (shipped(request.query.get("lang")) or
              from_accept_language(request.headers.get("Accept-Language")) or
              (page.team_language if page else "") or i18n.default_locale)
    with i18n.context(), i18n.use_locale(locale):
        yield


async def _page(deps: FormDeps, slug: str) -> Page | None:
    try:
        slug = parse_slug(slug)
    except InvalidInput:
        return None
    async with deps.ctx.uow() as uow:
        return await web_forms.page(uow, slug, deps.ctx.settings.languages)


def _form(deps: FormDeps, page: Page, status: int = 200, answers: Mapping[str, str] | None = None,
          errors: Sequence[FieldError] = (), notice: str = "", **headers: str) -> web.Response:
    """The form with a fresh token (inside _speaking)."""
    token = issue_token(deps.secret, page.form.slug, deps.ctx.clock.now())
    return _html(form_page.form_page(page, token, answers, errors, notice), status, **headers)


def _unavailable(page: Page | None) -> web.Response | None:
    """No such form, or one paused or closed: the polite page instead of the form."""
    if page is None:
        return _html(form_page.not_found_page(), 404)
    if not page.open:
        return _html(form_page.closed_page())
    return None


async def show_form(request: web.Request) -> web.Response:
    deps = request.app[FORMS]
    page = await _page(deps, request.match_info["slug"])
    with _speaking(deps, request, page):
        return _unavailable(page) or _form(deps, page)


async def submit_form(request: web.Request) -> web.Response:
    deps = request.app[FORMS]
    page = await _page(deps, request.match_info["slug"])
    with _speaking(deps, request, page):
        return _unavailable(page) or await _take(deps, request, page)


async def _take(deps: FormDeps, request: web.Request, page: Page) -> web.Response:
    settings = deps.ctx.settings
    wait = await deps.limits.take(_client(request, settings.form_client_ip_header),
                                  page.form.slug)
    raw = await read_limited(request, settings.form_max_body_bytes)
    if raw is None:
        await _refuse(deps, page, "too_large")
        return _html(form_page.refused_page("too_large"), 413)
    answers = (read_answers(raw)
               if request.content_type == "application/x-www-form-urlencoded" else None)
    if wait is not None:
        await _refuse(deps, page, "rate")
        return _form(deps, page, 429, answers, notice=form_page.notice("rate"),
                     **{"Retry-After": str(wait)})
    if answers is None:
        await _refuse(deps, page, "unreadable")
        return _html(form_page.refused_page("unreadable"), 400)
    verdict = screen(answers, deps.secret, page.form.slug, deps.ctx.clock.now(),
                     timedelta(seconds=settings.form_min_fill_seconds))
    if verdict is Screen.STALE:
        return _form(deps, page, 200, answers, notice=form_page.notice("stale"))
    if verdict is not Screen.OK:
        await _refuse(deps, page, verdict.value)
        return _form(deps, page, 400, answers, notice=form_page.notice(verdict.value))
    checked = check_answers(page.form, answers, page.choices, settings.phone_region)
    if checked.details is None:
        return _form(deps, page, 422, answers, checked.errors)
    return await _submit(deps, page, checked.details, answers)


async def _submit(deps: FormDeps, page: Page, details: ContactDetails,
                  answers: Mapping[str, str]) -> web.Response:
    ctx = deps.ctx
    try:
        async with ctx.uow() as uow:
            result = await web_forms.submit(
                uow, page.form.id, details, ctx.clock.now(),
                compose_touch=for_reader(duplicate_texts.touch_notice), quiet=ctx.quiet)
    except NotAllowed:
        return _html(form_page.closed_page())
    except DomainError as exc:  # the field rules passed, so intake should not refuse
        log.warning("form submission refused by intake", extra={"form": page.form.slug,
                                                                 "code": exc.detail})
        return _form(deps, page, 422, answers, notice=form_page.notice("intake"))
    log.info("form contact", extra={"form": page.form.slug, "contact_id": result.contact.id,
                                    "new_contact": result.created})
    invite = deps.bot_username if gave_username(answers, page.form) else None
    return _html(form_page.thanks_page(page.form, invite))


async def _refuse(deps: FormDeps, page: Page, reason: str) -> None:
    log.info("form submission refused", extra={"form": page.form.slug, "reason": reason})
    async with deps.ctx.uow() as uow:
        await web_forms.refused(uow, page.form.id, deps.ctx.clock.now())


def _client(request: web.Request, header: str) -> str:
    """The visitor's address: behind a reverse proxy, the last one it added to `header`
    (X-Forwarded-For, X-Real-IP); the ones before it are whatever the client claimed."""
    if header:
        last = request.headers.get(header, "").split(",")[-1].strip()
        if last:
            return last
    return request.remote or "unknown"


def add_routes(app: web.Application, deps: FormDeps) -> None:
    app[FORMS] = deps
    app.router.add_get("/form/{slug}", show_form)
    app.router.add_post("/form/{slug}", submit_form)
