"""When the Bot API refuses part of an answer, or a handler meets what it did not expect,
the person still reads one clear line and the rest of the answer still goes out."""

import pytest

from services import supply
from tests.e2e.conftest import Team


async def test_a_refused_chart_and_file_are_replaced_by_one_line_each(team: Team) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    team.fake.refuse("sendPhoto", times=None, status=400)
    team.fake.refuse("sendDocument", times=None, status=400)
    seq = team.fake.seq
    await team.admin.send("/report 7")
    await team.admin.wait_reply(contains="Report", after=seq)
    # the chart is drawn first (matplotlib: seconds on a loaded machine), then refused
    await team.admin.wait_reply(contains="I could not send the chart; the figures are above.",
                                after=seq, timeout=60)
    await team.admin.wait_reply(
        contains="I could not send the table as a file; the figures are above.", after=seq,
        timeout=30)
    assert team.fake.refused_counts["sendDocument"] == 1  # the table was still tried
    seq = team.fake.seq
    await team.admin.send("/supply")
    await team.admin.wait_reply(
        contains="I could not send the table as a file; the figures are above.", after=seq)


async def test_an_unexpected_failure_is_answered_with_its_reference(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(supply, "report", broken)
    reply = await team.admin.ask("/supply", contains="Sorry, that did not work on our side")
    assert "(reference " in reply.text
