"""Web lead forms: the core's rules (table-driven, no fixtures), the use cases on the fake
unit of work, and the in-process rate limiter."""

from datetime import UTC, datetime, timedelta

import pytest

from api.form_limits import FormLimits, MemoryLimiter
from domain.contact_fields import FieldError
from domain.effects import Effect
from domain.errors import AlreadyDone, InvalidInput, NotAllowed
from domain.locales import from_accept_language
from domain.members import Gender
from domain.reports import Period
from domain.roles import Role
from domain.settings import TEAM_CHAT
from domain.web_forms import (
    CONSENT,
    HONEYPOT,
    TOKEN,
    Choices,
    Field,
    FormFigures,
    Screen,
    WebForm,
    check_answers,
    gave_username,
    issue_token,
    parse_slug,
    parse_text,
    read_answers,
    screen,
    toggle,
    token_issued,
)
from services import web_forms
from tests.fakes.uow import FakeDatabase

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SECRET = b"k" * 32
FORM = WebForm(1, "spring", 7, NOW, frozenset(Field), question="Best time to call?",
               source_tag="fb")
CHOICES = Choices({"podil": "Podil"}, ("en", "ru", "uk"))
GOOD = {"name": "Maria Ivanova", "phone": "+380 44 123 4567", "telegram": "@maria_i",
        "email": "maria@example.org", "gender": "f", "language": "ru", "area": "podil",
        "question": "after 6 pm", CONSENT: "yes"}


# ---------------------------------------------------------------------- the form


@pytest.mark.parametrize(("text", "slug"), [
    ("spring-campaign", "spring-campaign"), (" Spring-2026 ", "spring-2026"), ("a", "a")])
def test_a_slug_is_lowercase_letters_digits_and_dashes(text: str, slug: str) -> None:
    assert parse_slug(text) == slug


@pytest.mark.parametrize("text", ["", "-spring", "spring-", "spring campaign", "весна",
                                  "a/b", "x" * 41, "<b>"])
def test_other_slugs_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="slug"):
        parse_slug(text)


def test_the_name_and_one_way_to_reach_the_seeker_always_stay() -> None:
    fields = frozenset({Field.NAME, Field.PHONE})
    assert toggle(fields, Field.AREA) == fields | {Field.AREA}
    assert toggle(fields | {Field.EMAIL}, Field.PHONE) == {Field.NAME, Field.EMAIL}
    for field, code in ((Field.NAME, "name_always"), (Field.PHONE, "reach")):
        with pytest.raises(InvalidInput, match=code):
            toggle(fields, field)


def test_an_admins_text_keeps_its_lines_loses_controls_and_has_a_limit() -> None:
    assert parse_text("greeting", " Hello\n\nworld\u202e ") == "Hello\n\nworld"
    assert parse_text("question", "Best\ntime?") == "Best time?"
    assert parse_text("thanks", "-") == ""
    with pytest.raises(InvalidInput, match="too_long"):
        parse_text("source_tag", "x" * 61)
    with pytest.raises(InvalidInput):
        parse_text("slug", "x")


# ---------------------------------------------------------------------- the token and bots


def test_a_token_says_when_its_page_was_rendered_and_for_which_form() -> None:
    token = issue_token(SECRET, "spring", NOW)
    assert token_issued(SECRET, "spring", token) == NOW
    assert token_issued(SECRET, "autumn", token) is None
    assert token_issued(b"other", "spring", token) is None
    stamp, nonce, mac = token.split(".")
    later = str(int(stamp) + 60_000)
    assert token_issued(SECRET, "spring", f"{later}.{nonce}.{mac}") is None  # time moved
    assert issue_token(SECRET, "spring", NOW) != token  # one per render
    for forged in ("", "1.2.3", "x.y.z", "..", "١٢.a.b", "9" * 40 + ".a.b"):
        assert token_issued(SECRET, "spring", forged) is None


@pytest.mark.parametrize(("answers", "after", "verdict"), [
    ({}, timedelta(seconds=3), Screen.OK),
    ({HONEYPOT: "http://spam"}, timedelta(seconds=30), Screen.HONEYPOT),
    ({}, timedelta(seconds=0.5), Screen.TOO_FAST),
    ({}, timedelta(seconds=-60), Screen.TOKEN),  # issued in the future
    ({}, timedelta(days=1, seconds=1), Screen.STALE),
    ({TOKEN: "1.2.3"}, timedelta(seconds=30), Screen.TOKEN),
])
def test_the_bot_checks(answers: dict, after: timedelta, verdict: Screen) -> None:
    posted = {TOKEN: issue_token(SECRET, "spring", NOW), **answers}
    assert screen(posted, SECRET, "spring", NOW + after, timedelta(seconds=3)) is verdict


def test_with_no_minimum_fill_time_an_instant_submission_passes() -> None:
    posted = {TOKEN: issue_token(SECRET, "spring", NOW)}
    assert screen(posted, SECRET, "spring", NOW, timedelta(0)) is Screen.OK


# ---------------------------------------------------------------------- the answers


def test_a_form_body_is_read_as_utf8_first_value_wins() -> None:
    assert read_answers("name=Мария&name=x&phone=%2B380+44&consent=".encode()) == {
        "name": "Мария", "phone": "+380 44", "consent": ""}
    assert read_answers(b"name=%FF") is None
    assert read_answers(b"\xff") is None
    assert read_answers("&".join(f"f{i}=1" for i in range(40)).encode()) is None


def test_good_answers_make_the_contact_with_the_forms_source() -> None:
    checked = check_answers(FORM, GOOD, CHOICES, "UA")
    details = checked.details
    assert checked.errors == () and details is not None
    assert (details.name, details.phone, details.tg_username, details.email) == (
        "Maria Ivanova", "+380441234567", "maria_i", "maria@example.org")
    assert (details.gender, details.language, details.area) == (Gender.FEMALE, "ru", "Podil")
    assert details.notes == "Best time to call?: after 6 pm"
    assert details.source == "form:spring · fb"


def test_each_problem_is_named_by_the_pages_field() -> None:
    answers = {"name": "", "phone": "12", "telegram": "no", "email": "x@", CONSENT: ""}
    assert set(check_answers(FORM, answers, CHOICES, "UA").errors) == {
        FieldError("name", "required"), FieldError("phone", "phone"),
        FieldError("telegram", "username"), FieldError("email", "email"),
        FieldError(CONSENT, "required")}


def test_no_way_to_reach_is_said_beside_the_first_one_the_form_asks() -> None:
    form = WebForm(1, "s", 7, NOW, frozenset({Field.NAME, Field.TELEGRAM, Field.EMAIL}))
    assert check_answers(form, {"name": "Ira", CONSENT: "yes"}, CHOICES, "UA").errors == (
        FieldError("telegram", "reach"),)


def test_only_asked_fields_and_offered_choices_are_taken() -> None:
    form = WebForm(1, "s", 7, NOW, frozenset({Field.NAME, Field.PHONE, Field.GENDER,
                                              Field.AREA, Field.LANGUAGE}))
    answers = {**GOOD, "gender": "x", "area": "nowhere", "language": "de"}
    details = check_answers(form, answers, CHOICES, "UA").details
    assert details is not None
    assert (details.email, details.tg_username, details.notes) == (None, None, "")
    assert (details.gender, details.area, details.language) == (Gender.UNKNOWN, "", "")
    assert not gave_username(answers, form) and gave_username(GOOD, FORM)


def test_without_a_list_of_areas_the_area_is_taken_as_typed() -> None:
    details = check_answers(FORM, {**GOOD, "area": "Obolon"}, Choices({}, ()), "UA").details
    assert details is not None and details.area == "Obolon"


@pytest.mark.parametrize(("header", "locale"), [
    ("uk-UA,uk;q=0.9,en-US;q=0.8,en;q=0.7", "uk"), ("de-DE,de;q=0.9,ru;q=0.8", "ru"),
    ("en;q=0.5, it", "it"), ("de", None), ("", None), (None, None), ("ru;q=0, uk;q=x", None),
    ("*", None), ("it;q=0.8, ru;q=0.8", "it")])
def test_the_browsers_language_among_the_shipped_ones(header: str | None,
                                                      locale: str | None) -> None:
    assert from_accept_language(header) == locale


# ---------------------------------------------------------------------- use cases


async def _team(db: FakeDatabase):  # type: ignore[no-untyped-def]
    async with db.uow() as uow:
        admin = await uow.members.add(1, "Boss", None, {Role.ADMIN}, NOW)
        operator = await uow.members.add(2, "Oleh", None, {Role.OPERATOR}, NOW)
        await uow.settings.set(TEAM_CHAT, "-100")
        await uow.commit()
    return admin, operator


async def test_admins_make_and_change_forms_with_an_audit_trail() -> None:
    db = FakeDatabase()
    admin, operator = await _team(db)
    async with db.uow() as uow:
        with pytest.raises(NotAllowed):
            await web_forms.create(uow, operator, "spring", NOW)
        form = await web_forms.create(uow, admin, "Spring", NOW)
        with pytest.raises(AlreadyDone):
            await web_forms.create(uow, admin, "spring", NOW)
        await web_forms.toggle_field(uow, admin, form.id, Field.AREA, NOW)
        await web_forms.set_text(uow, admin, form.id, "thanks", "Thank you!", NOW)
        form = await web_forms.set_paused(uow, admin, form.id, True, NOW)
        with pytest.raises(AlreadyDone):
            await web_forms.set_paused(uow, admin, form.id, True, NOW)
    assert (form.slug, form.thanks, form.paused, Field.AREA in form.fields) == (
        "spring", "Thank you!", True, True)
    assert [a.action for a in db.committed.audit] == ["create", "fields", "thanks", "pause"]


async def test_a_submission_enters_in_the_admins_name_and_is_counted() -> None:
    db = FakeDatabase()
    admin, _operator = await _team(db)
    async with db.uow() as uow:
        form = await web_forms.create(uow, admin, "spring", NOW)
        details = check_answers(form, GOOD, CHOICES, "UA").details
        assert details is not None
        result = await web_forms.submit(uow, form.id, details, NOW)
        await web_forms.refused(uow, form.id, NOW + timedelta(hours=1))
        listed = await web_forms.list_forms(uow, admin)
    assert result.created and result.contact.created_by == admin.id
    assert result.contact.details.source == "form:spring"
    assert Effect.AUTODISPATCH in db.effects  # offered by itself when the team turned it on
    assert [r.ref_id for r in db.committed.outbox] == [result.contact.id]  # its team card
    assert [(x.form.slug, x.sent, x.refused) for x in listed] == [("spring", 1, 1)]
    async with db.uow() as uow:
        figures = await uow.web_forms.figures(Period(NOW + timedelta(hours=1),
                                                     NOW + timedelta(hours=2)))
    assert figures == [FormFigures("spring", 0, 1)]


@pytest.mark.parametrize("closing", ["pause", "deactivate", "demote", "delete"])
async def test_a_closed_form_takes_nothing(closing: str) -> None:
    db = FakeDatabase()
    admin, operator = await _team(db)
    async with db.uow() as uow:
        form = await web_forms.create(uow, admin, "spring", NOW)
        if closing == "pause":
            await web_forms.set_paused(uow, admin, form.id, True, NOW)
        elif closing == "delete":
            await web_forms.delete(uow, admin, form.id, NOW)
        else:
            change = {"active": False} if closing == "deactivate" else {"roles": {Role.OPERATOR}}
            await uow.members.update(admin.id, **change)
            await uow.commit()
        page = await web_forms.page(uow, "spring", ["en"])
        details = check_answers(form, GOOD, CHOICES, "UA").details
        assert details is not None
        with pytest.raises(NotAllowed):
            await web_forms.submit(uow, form.id, details, NOW)
    assert page is None if closing == "delete" else page is not None and not page.open
    assert db.committed.contacts == {} and db.committed.form_counts == {}


# ---------------------------------------------------------------------- the rate limiter


async def test_the_limiter_counts_per_address_then_per_form_and_forgets_the_oldest() -> None:
    limits = FormLimits(MemoryLimiter(2, max_keys=3), MemoryLimiter(3))
    assert [await limits.take("1.1.1.1", "spring") for _ in range(3)] == [None, None, 30]
    assert await limits.take("2.2.2.2", "spring") is None
    assert await limits.take("3.3.3.3", "spring") == 20  # the form's 3 per minute are used
    for address in ("4.4.4.4", "5.5.5.5", "6.6.6.6"):
        await limits.per_address.take(address)
    assert "1.1.1.1" not in limits.per_address._buckets  # type: ignore[attr-defined]
