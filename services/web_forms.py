"""Lead forms on the team's web page: admins make and change them; a visitor's submission
enters through the same intake as /new and the HTTP API, in the name of the form's admin."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.contacts import ContactDetails
from domain.errors import AlreadyDone, NotAllowed
from domain.members import Member
from domain.roles import Role
from domain.web_forms import (
    DEFAULT_FIELDS,
    Choices,
    Field,
    WebForm,
    accepting,
    parse_slug,
    parse_text,
    toggle,
)
from services import intake
from services.access import found, require
from services.notify import Quiet
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Listed:
    form: WebForm
    sent: int  # since it was made
    refused: int


@use_case
async def create(uow: UnitOfWork, actor: Member | None, slug: str, now: datetime) -> WebForm:
    actor = require(actor, Role.ADMIN)
    slug = parse_slug(slug)
    if await uow.web_forms.by_slug(slug):
        raise AlreadyDone("form_exists")
    form = await uow.web_forms.add(slug, actor.id, now, DEFAULT_FIELDS)
    await uow.audit.record(now, actor.id, "web_form", form.id, "create", None, {"slug": slug})
    await uow.commit()
    return form


@use_case
async def list_forms(uow: UnitOfWork, actor: Member | None) -> list[Listed]:
    require(actor, Role.ADMIN)
    forms = await uow.web_forms.list_all()
    totals = await uow.web_forms.totals()
    await uow.commit()
    return [Listed(f, *totals.get(f.id, (0, 0))) for f in forms]


@use_case
async def get(uow: UnitOfWork, actor: Member | None, form_id: int) -> WebForm:
    require(actor, Role.ADMIN)
    form = found(await uow.web_forms.get(form_id), "web_form")
    await uow.commit()
    return form


@use_case
async def toggle_field(uow: UnitOfWork, actor: Member | None, form_id: int, field: Field,
                       now: datetime) -> WebForm:
    """Ask the field, or stop asking it (domain.web_forms.toggle says which may go)."""
    actor = require(actor, Role.ADMIN)
    form = found(await uow.web_forms.get(form_id), "web_form")
    changed = replace(form, fields=toggle(form.fields, field))
    return await _save(uow, actor, form, changed, "fields", now)


@use_case
async def set_text(uow: UnitOfWork, actor: Member | None, form_id: int, which: str, text: str,
                   now: datetime) -> WebForm:
    """One of domain.web_forms.TEXTS; "-" puts the built-in text back."""
    actor = require(actor, Role.ADMIN)
    form = found(await uow.web_forms.get(form_id), "web_form")
    changed = replace(form, **{which: parse_text(which, text)})
    return await _save(uow, actor, form, changed, which, now)


@use_case
async def set_paused(uow: UnitOfWork, actor: Member | None, form_id: int, paused: bool,
                     now: datetime) -> WebForm:
    actor = require(actor, Role.ADMIN)
    form = found(await uow.web_forms.get(form_id), "web_form")
    if form.paused == paused:
        raise AlreadyDone("paused" if paused else "open")
    return await _save(uow, actor, form, replace(form, paused=paused),
                       "pause" if paused else "resume", now)


@use_case
async def delete(uow: UnitOfWork, actor: Member | None, form_id: int, now: datetime) -> WebForm:
    """The form and its figures go; the contacts it brought stay (their source says form:…)."""
    actor = require(actor, Role.ADMIN)
    form = found(await uow.web_forms.get(form_id), "web_form")
    await uow.web_forms.remove(form.id)
    await uow.audit.record(now, actor.id, "web_form", form.id, "delete", _state(form), None)
    await uow.commit()
    return form


async def _save(uow: UnitOfWork, actor: Member, before: WebForm, after: WebForm, action: str,
                now: datetime) -> WebForm:
    await uow.web_forms.save(after)
    await uow.audit.record(now, actor.id, "web_form", after.id, action, _state(before),
                           _state(after))
    await uow.commit()
    return after


def _state(form: WebForm) -> dict[str, object]:
    return {"slug": form.slug, "fields": [f.value for f in form.asked], "greeting": form.greeting,
            "thanks": form.thanks, "consent": form.consent, "question": form.question,
            "source_tag": form.source_tag, "paused": form.paused}


# ---------------------------------------------------------------------- the public page


@dataclass(frozen=True)
class Page:
    """What the page needs: the form, whether it takes submissions now, the pick-lists,
    and the team's language (for a browser that names none we ship)."""

    form: WebForm
    open: bool
    choices: Choices
    team_language: str


@use_case
async def page(uow: UnitOfWork, slug: str, languages: Sequence[str]) -> Page | None:
    """None: no such form. `languages`: the deployment's LANGUAGES, the page's choices."""
    form = await uow.web_forms.by_slug(slug)
    if form is None:
        await uow.commit()
        return None
    owner = await uow.members.get(form.created_by)
    areas = (await uow.areas.map()).areas
    team_language = await uow.settings.team_language()
    await uow.commit()
    choices = Choices({key: area.name for key, area in areas.items()}, tuple(languages))
    return Page(form, accepting(form, owner), choices, team_language)


@use_case
async def submit(uow: UnitOfWork, form_id: int, details: ContactDetails, now: datetime,
                 compose_touch: intake.ComposeTouch | None = None,
                 quiet: Quiet | None = None) -> intake.IntakeResult:
    """The contact enters in the name of the form's admin, counted as sent in the same
    transaction. Raises NotAllowed if the form closed (paused, deleted, or its admin is no
    longer one) since the page was shown."""
    form = await uow.web_forms.get(form_id)
    owner = await uow.members.get(form.created_by) if form else None
    if form is None or not accepting(form, owner):
        raise NotAllowed("form_closed")
    await uow.web_forms.count(form.id, now, sent=1)
    return await intake.create_contact(uow, owner, details, now, compose_touch=compose_touch,
                                       quiet=quiet)


@use_case
async def refused(uow: UnitOfWork, form_id: int, now: datetime) -> None:
    """A submission refused as a bot's (nothing else is stored)."""
    await uow.web_forms.count(form_id, now, refused=1)
    await uow.commit()
