"""Fuzz the HTTP intake API over real HTTP against the running bot: random JSON with the
API's fields and hostile values (lone surrogates, NUL, bidi marks, wrong types), deep
nesting, random bytes, several encodings and content types, sizes up to and over the limit.

Promises: never a 5xx; every answer is JSON, a 4xx carries `errors`; a 201 is a stored
contact (nothing lost) and a 200 names a known one. Afterwards the database passes
`harness.consistency`.
"""

import json

import aiohttp
import pytest
from hypothesis import strategies as st

from tests.e2e.conftest import Team
from tests.e2e.scenarios import free_port, scalar
from tests.e2e.test_http_api import make_key
from tests.fuzz import harness
from tests.fuzz import strategies as fs
from tests.fuzz.harness import Findings

PORT = free_port()
URL = f"http://127.0.0.1:{PORT}/api/v1/contacts"
CONTENT_TYPES = ["application/json", "application/json", "application/json; charset=koi8-r",
                 "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                 "", "application/xml"]


def requests() -> st.SearchStrategy[tuple[bytes, str, bool]]:
    """(body, content type, with a valid key)."""
    return st.tuples(fs.api_body(), st.sampled_from(CONTENT_TYPES),
                     st.sampled_from([True, True, True, True, False]))


@pytest.mark.parametrize("team", [{"api_port": PORT, "api_rate_per_minute": 1_000_000}],
                         indirect=True)
async def test_the_api_answers_every_body_with_a_clear_status(team: Team) -> None:
    examples = max(20, harness.EXAMPLES // 2)
    harness.announce("api", examples)
    await team.bind()
    key = await make_key(team)
    findings = Findings()
    errors = harness.ErrorLog()
    async with aiohttp.ClientSession() as http:
        async def post(request: tuple[bytes, str, bool]) -> None:
            body, content_type, keyed = request
            headers = {"Content-Type": content_type} if content_type else {}
            if keyed:
                headers["Authorization"] = f"Bearer {key}"
            try:
                async with http.post(URL, data=body, headers=headers) as response:
                    status, raw = response.status, await response.read()
            except aiohttp.ClientError as exc:
                findings.add(f"the request failed: {exc!r}", request)
                return
            await judge(team, findings, request, status, raw)
            for record in errors.take():
                findings.add("ERROR logged: " + harness.describe(record), request)

        with errors:
            await harness.drive(requests(), post, examples)
    for problem in await harness.consistency(team.db):
        findings.add("database: " + problem, "(after the run)")
    assert not findings.items, findings.report()


async def judge(team: Team, findings: Findings, request: object, status: int, raw: bytes) -> None:
    """The promises for one answer."""
    if status >= 500:
        findings.add(f"HTTP {status}: {raw[:200]!r}", request)
        return
    try:
        answer = json.loads(raw)
    except ValueError:
        findings.add(f"HTTP {status} answer is not JSON: {raw[:200]!r}", request)
        return
    if status >= 400 and not answer.get("errors"):
        findings.add(f"HTTP {status} without errors: {answer!r}", request)
    if status == 201:
        stored = await scalar(team, f"select count(*) from contacts where id = {int(answer['id'])}")
        if stored != 1:
            findings.add(f"201 {answer!r} but no such contact stored", request)
    if status not in (200, 201, 400, 401, 413, 415, 422):
        findings.add(f"unexpected HTTP {status}: {answer!r}", request)
