"""The HTTP intake API over real HTTP against the running bot: keys made in Telegram, auth,
field errors, idempotency, rate limit, and the contact's card in the team chat."""

import asyncio
import json
import re

import aiohttp
import pytest
from sqlalchemy import text

from domain.contact_fields import FIELDS
from tests.e2e.conftest import Team
from tests.e2e.scenarios import free_port

PORT = free_port()
URL = f"http://127.0.0.1:{PORT}/api/v1"
MARIA = {"name": "Maria Ivanova", "phone": "+380 44 123 4567", "gender": "f", "language": "ru",
         "area": "Podil", "source": "spring campaign"}


async def make_key(team: Team, name: str = "webform") -> str:
    await team.admin.ask("/start", contains="Hello, Boss")
    reply = await team.admin.ask(f"/apikey new {name}", contains="shown only this once")
    return re.search(r"dk_\S+", reply.text or "").group(0)


async def post(http: aiohttp.ClientSession, body: object, key: str | None = None,
               headers: dict | None = None, raw: bytes | None = None):  # type: ignore[no-untyped-def]
    headers = dict(headers or {})
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = raw if raw is not None else json.dumps(body).encode()
    async with http.post(f"{URL}/contacts", data=data, headers={
            "Content-Type": "application/json", **headers}) as response:
        return response.status, await response.json(), response.headers


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_a_contact_posted_over_http_reaches_the_team_chat_once(team: Team) -> None:
    await team.bind()
    key = await make_key(team)
    async with aiohttp.ClientSession() as http:
        status, body, _ = await post(http, MARIA)
        assert (status, body["errors"][0]["field"]) == (401, "authorization")
        assert (await post(http, MARIA, "dk_wrong"))[0] == 401
        status, body, _ = await post(http, MARIA, headers={"X-API-Key": key + "x"})
        assert status == 401

        status, body, _ = await post(http, {"name": "", "phone": "12", "email": "x@", "age": 3}, key)
        assert status == 422
        assert {(e["field"], e["code"], e["message"]) for e in body["errors"]} == {
            ("name", "required", "is required"),
            ("phone", "phone", "is not a valid phone number (include the country code)"),
            ("email", "email", "is not a valid e-mail address"),
            ("age", "unknown", "is not a known field")}
        status, body, _ = await post(http, {"name": "Ira"}, key)
        assert (status, body["errors"]) == (422, [
            {"field": "phone", "code": "reach",
             "message": "give at least one of phone, tg_username, email"}])
        assert (await post(http, None, key, raw=b"{not json"))[0] == 400
        assert (await post(http, ["a"], key))[0] == 422
        status, body, _ = await post(http, {**MARIA, "notes": "x" * 20_000}, key)
        assert (status, body["errors"][0]["field"]) == (413, "body")

        idem = {"Idempotency-Key": "order-17"}
        status, created, _ = await post(http, MARIA, key, idem)
        assert (status, created) == (201, {"id": 1, "status": "new",
                                           "source": "api:webform · spring campaign"})
        status, replay, headers = await post(http, MARIA, key, idem)  # a client retry
        assert (status, replay, headers["Idempotent-Replayed"]) == (200, created, "true")
        status, body, _ = await post(http, {**MARIA, "name": "Other"}, key, idem)
        assert (status, body["errors"][0]["field"]) == (422, "Idempotency-Key")
        status, second, _ = await post(http, {**MARIA, "phone": "+380441234568"},
                                       headers={"X-API-Key": key})
        assert status == 201 and second["id"] == 2

    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    assert "Maria" in card.text and "api:webform" in card.text
    assert card.reply_markup is not None  # the dispatcher's buttons, as for /new
    async with team.db.connect() as conn:  # remembered, so every change edits it in place
        where = (await conn.execute(text("select chat_id, message_id from cards where contact_id = 1"))).all()
    assert where == [(team.group.id, card.message_id)]
    cards = [m for m in team.fake.chat(team.group.id).messages
             if (m.text or "").startswith("#1 ")]
    assert len(cards) == 1  # the replay posted nothing

    await team.admin.ask("/apikey revoke webform", contains="revoked")
    await team.admin.ask("/apikey list", contains="webform — revoked, 26 Nov 2026")
    async with aiohttp.ClientSession() as http:
        assert (await post(http, MARIA, key))[0] == 401


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_given_and_family_names_are_kept_and_the_card_shows_the_given_one(
        team: Team) -> None:
    await team.bind()
    key = await make_key(team)
    parts = {"given_name": "Мария", "family_name": "Иванова", "phone": "+380441234567",
             "gender": "f", "language": "ru", "area": "Podil"}
    async with aiohttp.ClientSession() as http:
        assert (await post(http, parts, key))[0] == 201  # the name is made of its parts
        status, _, _ = await post(http, {**parts, "name": "Иванова Мария",
                                         "phone": "+380441234568"}, key)
        assert status == 201
    await team.drain()
    for number in ("#1 ", "#2 "):
        card = await team.fake.wait_for(team.group.id,
                                        lambda m, n=number: (m.text or "").startswith(n))
        assert card.text.startswith(number + "Мария (F, Russian, Podil)")
    async with team.db.connect() as conn:
        stored = (await conn.execute(text(
            "select name, given_name, family_name from contacts order by id"))).all()
    assert [tuple(r) for r in stored] == [("Мария Иванова", "Мария", "Иванова"),
                                          ("Иванова Мария", "Мария", "Иванова")]


@pytest.mark.parametrize("team", [{"api_port": PORT, "api_rate_per_minute": 3}], indirect=True)
async def test_too_many_requests_get_429_with_retry_after(team: Team) -> None:
    key = await make_key(team)
    async with aiohttp.ClientSession() as http:
        statuses = [(await post(http, {"name": "Ira"}, key))[0] for _ in range(3)]
        status, body, headers = await post(http, {"name": "Ira"}, key)
        other = await make_key_second(team)
        assert (await post(http, {"name": "Ira"}, other))[0] == 422  # its own budget
    assert statuses == [422, 422, 422]
    assert status == 429 and headers["Retry-After"] == "20"
    assert body["errors"][0]["message"] == "too many requests for this key"


async def make_key_second(team: Team) -> str:
    reply = await team.admin.ask("/apikey new crm", contains="shown only this once")
    return re.search(r"dk_\S+", reply.text or "").group(0)


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_openapi_document_describes_the_validator(team: Team) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{URL}/openapi.json") as response:
            doc = await response.json()
        async with http.get(f"{URL}/health") as response:
            assert response.status == 200
    assert doc["openapi"] == "3.1.0"
    schema = doc["paths"]["/api/v1/contacts"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert set(schema["properties"]) == set(FIELDS)
    assert set(doc["paths"]["/api/v1/contacts"]["post"]["responses"]) >= {
        "201", "200", "401", "422", "429", "413"}


async def test_only_admins_manage_keys_and_only_in_private(team: Team) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    await team.bind()
    await team.admin.send("/apikey new webform", chat=team.group)
    reply = await team.admin.wait_reply(chat=team.group)
    assert "dk_" not in (reply.text or "")
    oper = team.fake.user(301, "Oleh")
    await team.invite(oper, "Operator")
    answer = await oper.ask("/apikey new sneaky")
    assert "dk_" not in (answer.text or "")
    await team.admin.ask("/apikey list", contains="No API keys yet")
    await team.admin.ask("/apikey new bad name!", contains="1-40 letters")
    await team.admin.ask("/apikey", contains="Usage: /apikey new NAME")


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_many_clients_posting_at_once_each_get_their_own_answer(team: Team) -> None:
    """Posts that arrive together are stored together (api.post_groups): each client still
    gets its own contact's id, a retry its first answer, and the minute's burst one summary."""
    await team.bind()
    key = await make_key(team)
    bodies = [{"name": f"Seeker {n}", "phone": f"+38044765{n:04d}", "area": "Podil"}
              for n in range(30)]
    async with aiohttp.ClientSession() as http:
        answers = await asyncio.gather(*(post(http, body, key, {"Idempotency-Key": f"k{n}"})
                                         for n, body in enumerate(bodies)))
        assert [status for status, _, _ in answers] == [201] * 30
        ids = [body["id"] for _, body, _ in answers]
        assert sorted(ids) == list(range(1, 31))
        retries = await asyncio.gather(*(post(http, body, key, {"Idempotency-Key": f"k{n}"})
                                         for n, body in enumerate(bodies[:8])))
        assert [(status, body["id"]) for status, body, _ in retries] == \
            [(200, i) for i in ids[:8]]
        same = {"name": "Olena", "phone": "+380447650999"}
        racing = await asyncio.gather(*(post(http, same, key, {"Idempotency-Key": "once"})
                                        for _ in range(4)))
        statuses = [status for status, _, _ in racing]  # 200: a replay, 409: in the same group
        assert statuses.count(201) == 1 and set(statuses) <= {201, 200, 409}
    async with team.db.connect() as conn:
        stored = await conn.execute(text("select name, card_held from contacts order by id"))
        rows = list(stored)
    assert sorted(name for name, _ in rows) == sorted([b["name"] for b in bodies] + ["Olena"])
    assert sum(1 for _, held in rows if held) >= 20  # the eleventh on: a burst, held
    team.clock.advance(seconds=61)
    await team.run_jobs()
    summaries = [m for m in team.fake.chat(team.group.id).bot_messages
                 if (m.text or "").startswith("📦")]
    assert [m.text.split(" new contacts")[0] for m in summaries] == ["📦 31"]
