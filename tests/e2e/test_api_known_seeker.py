"""A seeker the team already has, posted again over HTTP, is attached as a touch and
answered 200 {"attached": true} (found by the three-replica test: it was answered 500,
though the touch was saved, because the log line wanted the new contact's id)."""

import aiohttp
import pytest

from tests.e2e.conftest import Team
from tests.e2e.test_http_api import MARIA, PORT, make_key, post


@pytest.mark.parametrize("team", [{"api_port": PORT}], indirect=True)
async def test_a_known_seeker_posted_again_is_attached(team: Team) -> None:
    key = await make_key(team)
    async with aiohttp.ClientSession() as http:
        first = await post(http, MARIA, key)
        again = await post(http, {**MARIA, "source": "landing page"}, key)
    assert first[0] == 201
    assert (again[0], again[1]) == (200, {"attached": True})
