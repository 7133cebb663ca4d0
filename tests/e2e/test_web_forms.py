"""Web lead forms end to end: an admin makes one with /form and its buttons; visitors post it
over real HTTP to the running bot; the contact's card reaches the fake team chat."""

import re

import aiohttp
import pytest
from storage.engine import create_session_factory
from storage.uow import UnitOfWork

from bot.app import build_i18n
from tests.e2e.conftest import Team
from tests.e2e.scenarios import free_port, make_form, rows, scalar

PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
URL = f"{BASE}/form/spring-campaign"
SERVED = {"api_port": PORT}
MARIA = {"name": "Maria Ivanova", "phone": "+380 44 123 4567", "telegram": "@maria_i",
         "consent": "yes"}


def token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


async def get(http: aiohttp.ClientSession, url: str = URL, **headers: str) -> tuple[int, str]:
    async with http.get(url, headers=headers) as response:
        return response.status, await response.text()


async def post(http: aiohttp.ClientSession, answers: dict, url: str = URL,
               **headers: str):  # type: ignore[no-untyped-def]
    async with http.post(url, data=answers, headers=headers) as response:
        return response.status, await response.text(), response.headers


async def fill(team: Team, http: aiohttp.ClientSession, answers: dict, seconds: float = 5,
               page: str | None = None, url: str = URL):  # type: ignore[no-untyped-def]
    """A person: load the page (or use the one shown again), take `seconds`, send it (to the
    page's own address, as the form has no action)."""
    if page is None:
        _status, page = await get(http, url)
    team.clock.advance(seconds=seconds)
    return await post(http, {**answers, "token": token(page)}, url)


@pytest.mark.parametrize("team", [SERVED], indirect=True)
async def test_an_admin_makes_changes_pauses_and_deletes_a_form_with_buttons(team: Team) -> None:
    panel = await make_form(team, "Spring-Campaign")
    assert f"Link: {URL}" in panel.text
    assert "Asks: Name, Phone, Telegram" in panel.text
    await team.admin.ask("/form new spring-campaign", contains="exists already")
    await team.admin.ask("/form new spring campaign!", contains="lowercase letters")

    answer = await team.admin.press(panel, "✓ Name")
    assert "always has a name" in answer.text and answer.show_alert
    await team.admin.press(panel, "E-mail")
    await team.admin.press(panel, "✓ Phone")
    await team.admin.press(panel, "✓ Telegram")
    answer = await team.admin.press(panel, "✓ E-mail")  # the last way to reach the seeker
    assert "at least one way to reach" in answer.text
    await team.admin.press(panel, "Phone")
    await team.admin.press(panel, "Area (the team's list)")
    assert "Asks: Name, Phone, E-mail, Area" in panel.text

    await team.admin.press(panel, "Greeting…")
    await team.admin.wait_reply(contains="first line is the page's heading")
    panel = await team.admin.ask("Spring campaign\n\nTell us <how> to reach you",
                                 contains="Web form spring-campaign")
    assert "Greeting: Spring campaign Tell us <how> to reach you" in panel.text
    await team.admin.press(panel, "Source tag…")
    await team.admin.ask("x" * 61, contains="too long")
    panel = await team.admin.ask("facebook-ad", contains="Web form spring-campaign")
    assert "Contacts are marked: form:spring-campaign · facebook-ad" in panel.text

    await team.admin.press(panel, "Link and embed")
    embed = await team.admin.wait_reply(contains="<iframe")
    assert f'<iframe src="{URL}"' in embed.text and f'<a href="{URL}">' in embed.text
    await team.admin.press(panel, "QR code")
    qr = await team.admin.wait_reply(predicate=lambda m: m.kind == "document")
    assert qr.file_bytes.startswith(b"\x89PNG") and URL in qr.caption

    async with aiohttp.ClientSession() as http:
        status, html = await get(http)
        assert status == 200 and "Spring campaign" in html and "Tell us &lt;how&gt;" in html
        await team.admin.press(panel, "⏸ Pause")
        assert "— paused" in panel.text
        status, html = await get(http)
        assert (status, "This form is closed" in html) == (200, True)
        listing = await team.admin.ask("/form list", contains="Web forms")
        assert "spring-campaign — paused: 0 sent, 0 refused" in listing.text
        await team.admin.press(listing, "spring-campaign")
        await team.admin.press(listing, "▶ Resume")
        assert "— open" in listing.text
        await team.admin.press(listing, "Delete")
        assert "for good?" in listing.text
        await team.admin.press(listing, "Yes, delete it")
        assert "deleted" in listing.text
        status, html = await get(http)
        assert status == 404 and "There is no form at this address" in html
    assert await scalar(team, "SELECT count(*) FROM web_forms") == 0
    actions = await rows(team, "SELECT action FROM audit_log WHERE entity = 'web_form' ORDER BY id")
    assert [a for (a,) in actions] == ["create", "fields", "fields", "fields", "fields",
                                       "fields", "greeting", "source_tag", "pause", "resume",
                                       "delete"]


@pytest.mark.parametrize("team", [SERVED], indirect=True)
async def test_a_visitor_fixes_a_bad_phone_and_the_card_reaches_the_team_chat(team: Team) -> None:
    await team.bind()
    panel = await make_form(team)
    await team.admin.press(panel, "Source tag…")
    await team.admin.ask("facebook-ad", contains="Web form spring-campaign")
    await team.admin.press(panel, "Thank-you text…")
    await team.admin.ask("Дякуємо, ми зателефонуємо!\n\nДо зустрічі.", contains="Thank-you text: Дякуємо")
    uk = build_i18n()
    async with aiohttp.ClientSession(headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}) as http:
        status, page = await get(http)
        assert status == 200 and '<html lang="uk">' in page
        status, page, headers = await fill(team, http, {**MARIA, "phone": "12"})
        assert status == 422
        bad_phone = uk.gettext("not a valid number (include the country code)", locale="uk")
        assert f'<p class="err" id="phone-err">{bad_phone[0].upper()}{bad_phone[1:]}</p>' in page
        assert 'value="Maria Ivanova"' in page  # what they typed stays
        assert "script" not in page and "default-src 'none'" in headers["Content-Security-Policy"]
        assert await scalar(team, "SELECT count(*) FROM contacts") == 0

        status, thanks, _ = await fill(team, http, MARIA, page=page)
        assert status == 200 and '<html lang="uk">' in thanks
        assert "<h1>Дякуємо, ми зателефонуємо!</h1><p>До зустрічі.</p>" in thanks
        assert 'href="https://t.me/dispatch_test_bot"' in thanks
        status, again, _ = await fill(team, http, {**MARIA, "telegram": ""})  # the same phone
        assert status == 200 and "t.me/" not in again

    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    assert "Maria" in card.text and "form:spring-campaign · facebook-ad" in card.text
    assert "+380" not in card.text  # the team chat never shows the phone
    assert await rows(team, "SELECT c.source, m.tg_user_id FROM contacts c "
                            "JOIN members m ON m.id = c.created_by") == [
        ("form:spring-campaign · facebook-ad", team.admin.id)]
    assert await scalar(team, "SELECT count(*) FROM contact_touches") == 1  # the second visit
    listing = await team.admin.ask("/form list", contains="Web forms")
    assert "spring-campaign — open: 2 sent, 0 refused" in listing.text


@pytest.mark.parametrize("team", [SERVED], indirect=True)
async def test_bot_like_submissions_store_nothing_and_are_counted(team: Team) -> None:
    await make_form(team)
    async with aiohttp.ClientSession() as http:
        status, page, _ = await fill(team, http, {**MARIA, "website": "http://spam.example"})
        assert status == 400 and "We could not take this submission" in page
        assert 'value="Maria Ivanova"' in page  # a person caught by mistake sends it again
        status, page, _ = await fill(team, http, MARIA, seconds=0.5)
        assert status == 400
        status, _page, _ = await post(http, {**MARIA, "token": "1.2.3"})
        assert status == 400
        status, page, _ = await post(http, {**MARIA, "notes": "x" * 10_000})
        assert status == 413 and "too long" in page
        async with http.post(URL, json=MARIA) as response:
            assert response.status == 400
    assert await scalar(team, "SELECT count(*) FROM contacts") == 0
    listing = await team.admin.ask("/form list", contains="Web forms")
    assert "spring-campaign — open: 0 sent, 5 refused" in listing.text
    report = await team.admin.ask("/report", contains="Report")
    assert "Web forms: spring-campaign 0 sent, 5 refused" in report.text


@pytest.mark.parametrize("team", [{**SERVED, "form_rate_per_ip_per_minute": 2}], indirect=True)
async def test_too_many_submissions_from_one_address_are_refused(team: Team) -> None:
    await make_form(team)
    async with aiohttp.ClientSession() as http:
        for phone in ("12", "13"):
            assert (await fill(team, http, {**MARIA, "phone": phone}))[0] == 422
        status, page, headers = await fill(team, http, MARIA)
        assert (status, headers["Retry-After"]) == (429, "30")
        assert "Too many submissions" in page and 'value="Maria Ivanova"' in page
    assert await scalar(team, "SELECT count(*) FROM contacts") == 0
    assert await scalar(team, "SELECT sum(refused) FROM web_form_counts") == 1


@pytest.mark.parametrize("team", [SERVED], indirect=True)
async def test_a_paused_form_or_one_whose_admin_left_is_closed(team: Team) -> None:
    panel = await make_form(team)
    italian = URL + "?lang=it"
    async with aiohttp.ClientSession() as http:
        _status, page = await get(http, italian)
        assert '<html lang="it">' in page
        await team.admin.press(panel, "⏸ Pause")
        status, closed, _ = await fill(team, http, MARIA, page=page, url=italian)
        assert status == 200 and '<html lang="it">' in closed
        assert build_i18n().gettext("This form is closed", locale="it") in closed
        await team.admin.press(panel, "▶ Resume")
        async with UnitOfWork(create_session_factory(team.db)) as uow:  # Boss, the form's admin, leaves
            for member in await uow.members.list_all():
                await uow.members.update(member.id, active=False)
            await uow.commit()
        status, closed = await get(http)
        assert "This form is closed" in closed
        status, closed, _ = await fill(team, http, MARIA, page=page, url=italian)
        assert build_i18n().gettext("This form is closed", locale="it") in closed
    assert await scalar(team, "SELECT count(*) FROM contacts") == 0
