"""Every entry point leaves its card to the outbox: when Telegram throttles the team chat
(429 on the first post), the card still arrives, exactly once, after the retry.

One test per entry point: /new, a forwarded message, a seeker's request made a contact, the
HTTP API, a web lead form, a CSV row, and a job (an offer's expiry redraws the card)."""

import aiohttp
import pytest

from tests.e2e.conftest import Team
from tests.e2e.scenarios import finish_forwarded, anna_and_oleh, cast_with_seeker, enter_maria, make_form, offer_to_anna, ready
from tests.e2e.test_http_api import MARIA, PORT, make_key, post
from tests.e2e.test_web_forms import MARIA as VISITOR
from tests.e2e.test_web_forms import SERVED, fill
from tests.fake_telegram import FakeMessage


def cards(team: Team, contact_id: int) -> list[FakeMessage]:
    """The bot's messages in the team chat that are contact #id's card."""
    return [m for m in team.fake.chat(team.group.id).messages
            if m.from_bot and (m.text or "").startswith(f"#{contact_id} ")]


async def after_the_throttle(team: Team, contact_id: int) -> FakeMessage:
    """Telegram said 'retry after 1 s': a second later (fake clock) the sender tries again."""
    await team.drain()
    assert cards(team, contact_id) == []  # refused, and nothing was stored by the fake
    team.clock.advance(seconds=2)
    await team.drain()
    card = await team.fake.wait_for(team.group.id,
                                    lambda m: (m.text or "").startswith(f"#{contact_id} "))
    await team.drain()
    assert len(cards(team, contact_id)) == 1
    return card


def throttle_first_post(team: Team) -> None:
    team.fake.refuse("sendMessage", times=1, chat_id=team.group.id, status=429, retry_after=1)


async def test_new(team: Team) -> None:
    _anna, oper = await anna_and_oleh(team)
    throttle_first_post(team)
    await enter_maria(team, oper)
    card = await after_the_throttle(team, 1)
    assert "Maria" in card.text and team.fake.refused_counts["sendMessage"] == 1


async def test_forwarded_message(team: Team) -> None:
    _anna, oper = await anna_and_oleh(team)
    throttle_first_post(team)
    await oper.forward("Hi, I saw your ad", from_user={"id": 777, "first_name": "Maria",
                                                       "username": "maria_k"})
    await finish_forwarded(oper, "Russian", "Podil")
    assert "Maria" in (await after_the_throttle(team, 1)).text


async def test_triage_make_contact(team: Team) -> None:
    _anna, oper, maria = await cast_with_seeker(team)
    await maria.send("Hello, I saw your ad")
    triage = await team.fake.wait_for(team.group.id, lambda m: "Hello, I saw your ad" in m.text)
    throttle_first_post(team)
    assert (await oper.press(triage, "Make contact")).text.startswith("Saved as a contact")
    assert "Telegram bot" in (await after_the_throttle(team, 1)).text


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_http_api(team: Team) -> None:
    await team.bind()
    key = await make_key(team)
    throttle_first_post(team)
    async with aiohttp.ClientSession() as http:
        status, body, _ = await post(http, MARIA, key)
    assert (status, body["id"]) == (201, 1)
    assert "Maria" in (await after_the_throttle(team, 1)).text


@pytest.mark.parametrize("team", [SERVED], indirect=True)
async def test_web_form(team: Team) -> None:
    await team.bind()
    await make_form(team)
    throttle_first_post(team)
    async with aiohttp.ClientSession() as http:
        assert (await fill(team, http, VISITOR))[0] == 200
    assert "Maria" in (await after_the_throttle(team, 1)).text


async def test_csv_row(team: Team) -> None:
    await team.bind()
    throttle_first_post(team)
    await team.admin.send_document(b"name,phone,area\nMaria Ivanova,+380441234567,Podil\n",
                                   "leads.csv", mime_type="text/csv")
    await team.admin.wait_reply(contains="1 imported")
    assert "Maria" in (await after_the_throttle(team, 1)).text


async def test_a_job_redraws_the_card_after_a_refused_edit(team: Team) -> None:
    anna, _oper, card = await ready(team)
    await offer_to_anna(team, anna, card)
    await team.drain()
    team.fake.refuse("editMessageText", times=1, chat_id=team.group.id, status=429,
                     retry_after=1)
    team.clock.advance(hours=25)  # past OFFER_TTL_HOURS: the expiry job runs
    await team.run_jobs()
    team.clock.advance(seconds=2)
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 ")
                                    and "waiting for dispatch" in m.text)
    assert len(cards(team, 1)) == 1 and team.fake.refused_counts["editMessageText"] == 1
