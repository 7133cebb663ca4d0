"""Reports as people get them in Telegram: /report (text, chart, CSV), /target and /me, and
the admins' weekly report from the scheduler."""

import csv
import io
import struct

from tests.e2e.conftest import Team
from tests.e2e.scenarios import accepted_and_met, scalar


async def test_report_sends_a_summary_a_chart_and_the_table(team: Team) -> None:
    _, oper = await accepted_and_met(team)
    seq = team.fake.seq
    await team.admin.send("/report 7")
    summary = await team.admin.wait_reply(contains="Report", after=seq)
    assert "2 new · 1 dispatched · 1 accepted · 1 reached · 1 met · 0 closed · 1 waiting now" in summary.text
    assert "Anna: 1 offer, 100% accepted, accepts in 30 minutes, first contact in 2 hours, 0 overdue, 1 met" in summary.text
    assert "Boss: 1 offer, waited" in summary.text
    assert "Oleh: 2 entered, 0 triaged in —" in summary.text
    # the first chart of a process imports matplotlib (views.report_charts): seconds when busy
    chart = await team.fake.wait_for(team.admin.id, lambda m: m.kind == "photo", after=seq,
                                     timeout=30)
    assert struct.unpack(">II", chart.photo[16:24]) == (900, 1500)
    doc = await team.fake.wait_for(team.admin.id, lambda m: m.kind == "document", after=seq)
    rows = list(csv.DictReader(io.StringIO(doc.document_bytes.decode("utf-8-sig"))))
    assert {"section": "counters", "who": "", "metric": "met", "value": "1"} in rows
    assert {"section": "multiplier", "who": "Anna", "metric": "median_accept_minutes", "value": "30.0"} in rows
    await team.admin.ask("/report someday", contains="Send /report (last 7 days)")
    seq = team.fake.seq
    await oper.send("/report")  # operators do not get the team's report
    await oper.wait_reply(after=seq)
    assert not [m for m in team.fake.chat(oper.id).bot_messages if m.kind == "photo"]


async def test_target_shows_progress_in_me(team: Team) -> None:
    anna, _ = await accepted_and_met(team)
    await team.admin.ask("/target Anna 4", contains="Target for Anna: 4 meetings per 30 days")
    await team.admin.ask("/target Nobody 4", contains="Not found")
    await anna.ask("/target Anna 40", contains="")  # not an admin: nothing changes
    me = await anna.ask("/me", contains="Last 30 days")
    assert "1 taken, 1 reached, 1 met, 0 closed" in me.text
    assert "Target: 1 of 4 meetings (25%)" in me.text
    assert await scalar(team, "select value from settings where key = 'target:2'") == "4"


async def test_admins_get_the_weekly_report_once_per_week(team: Team) -> None:
    await accepted_and_met(team)
    await team.run_jobs()  # the first run only remembers where the week starts
    assert not [m for m in team.fake.chat(team.admin.id).bot_messages if "Need more workers" in (m.text or "")]
    team.clock.advance(days=4)  # Thursday 26 Nov -> Monday 30 Nov, past 09:00 UTC
    seq = team.fake.seq
    await team.run_jobs()
    weekly = await team.admin.wait_reply(contains="Need more workers", after=seq)
    assert "2 new · 1 dispatched" in weekly.text and "Unserved areas:" in weekly.text
    team.clock.advance(hours=1)
    await team.run_jobs()
    assert len([m for m in team.fake.chat(team.admin.id).bot_messages
                if "Need more workers" in (m.text or "")]) == 1
