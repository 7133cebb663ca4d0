"""Bodies the HTTP API used to answer 500 (deep nesting, a lone surrogate) or take when it
should not (text/plain), and names with NUL or a right-to-left override from the API and
from /new: each gets a clear 4xx, or is stored and shown without the invisible characters."""

import aiohttp
import pytest

from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_contact, free_port, scalar
from tests.e2e.test_http_api import MARIA, make_key

PORT = free_port()
URL = f"http://127.0.0.1:{PORT}/api/v1/contacts"
RLO = "\u202e"


async def post_raw(http: aiohttp.ClientSession, key: str, raw: bytes,
                   content_type: str = "application/json") -> tuple[int, dict]:
    async with http.post(URL, data=raw, headers={"Authorization": f"Bearer {key}",
                                                 "Content-Type": content_type}) as response:
        return response.status, await response.json()


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_bad_bodies_get_a_clear_4xx(team: Team) -> None:
    key = await make_key(team)
    async with aiohttp.ClientSession() as http:
        nested = b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        assert await post_raw(http, key, nested) == (400, {"errors": [{
            "field": "body", "message": "nested too deeply (send one flat JSON object)"}]})
        surrogate = b'{"name": "Maria \\ud800", "phone": "+380441234567"}'
        assert await post_raw(http, key, surrogate) == (400, {"errors": [{
            "field": "body", "message": "not valid Unicode (a lone surrogate escape such as \\ud800)"}]})
        plain = b'{"name": "Maria", "phone": "+380441234567"}'
        assert await post_raw(http, key, plain, "text/plain") == (415, {"errors": [{
            "field": "Content-Type", "message": "must be application/json"}]})
        assert (await post_raw(http, key, plain, "application/json; charset=utf-8"))[0] == 201
    assert await scalar(team, "select count(*) from contacts") == 1


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_names_are_stored_without_nul_or_bidi_overrides(team: Team) -> None:
    await team.bind()
    key = await make_key(team)
    spoof = {**MARIA, "name": f"Maria\x00 {RLO}avonavI", "area": f"Po{RLO}dil"}
    async with aiohttp.ClientSession() as http:
        async with http.post(URL, json=spoof, headers={"Authorization": f"Bearer {key}"}) as r:
            assert r.status == 201
    assert await scalar(team, "select name || '|' || area from contacts") == "Maria avonavI|Podil"
    oper = team.fake.user(301, "Oleh")
    await team.invite(oper, "Operator")
    await enter_contact(oper, f"Lena{RLO} Petrova\x00", "+380441234568", "Podil",
                        done="Saved as #2")
    assert await scalar(team, "select name from contacts where id = 2") == "Lena Petrova"
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2 "))
    assert RLO not in card.text and card.text.startswith("#2 Lena (F, Russian, Podil)")
