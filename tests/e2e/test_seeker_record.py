"""The seeker's record after Yes, as the holder and a dispatcher live it: a meeting with its
day, time and place, the reminder timed from the meeting, the result of "met", faith
milestones on the card, the screen, and in /report."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import accepted, rows
from tests.e2e.test_scheduler import texts_in


async def test_a_meeting_its_reminder_the_result_and_two_milestones(team: Team) -> None:
    anna, details = await accepted(team)  # Thursday 26 Nov 09:00 UTC (the team's zone)
    seq = team.fake.seq
    await anna.press(details, "Meeting scheduled")
    days = await anna.wait_reply(contains="when is the meeting?", after=seq)
    assert days.buttons[0] == ["Today", "Tomorrow"] and "Sat 28 Nov" in str(days.buttons)
    await anna.press(days, "Sat 28 Nov")  # the day after tomorrow
    hours = await anna.wait_reply(contains="the meeting on Sat 28 Nov", after=seq)
    await anna.press(hours, "18:00")
    await anna.wait_reply(contains="where is the meeting?", after=seq)
    await anna.ask("Café Lviv, Podil", contains="Saved")
    assert await rows(team, "select meeting_place from contacts") == [("Café Lviv, Podil",)]
    card = await team.fake.wait_for(team.group.id, lambda m: "📅 Meeting in 2 days" in m.text)
    assert "Café" not in card.text  # the place is a private detail

    team.clock.advance(days=2, hours=8, minutes=59)  # Saturday 17:59, just before it
    await team.run_jobs()
    team.clock.advance(days=1, minutes=1)  # a day after it: the tap was 3 days ago
    await team.run_jobs()
    assert texts_in(team, anna.id, "Update needed") == []
    team.clock.advance(days=2)  # 3 days after the meeting, no "met"
    seq = team.fake.seq
    await team.run_jobs()
    nag = await anna.wait_reply(contains="Update needed", after=seq)
    assert "at “meeting scheduled” for 3 days" in nag.text

    await anna.press(nag, "Met")
    await anna.wait_reply(contains="how did the meeting go?", after=seq)
    await anna.ask("Good talk, wants to read John", contains="Saved")
    seq = team.fake.seq
    await anna.press(nag, "Milestones")
    menu = await anna.wait_reply(contains="Faith milestones of #1 Maria", after=seq)
    assert (await anna.press(menu, "reading the Bible")).text == "✅ reading the Bible"
    await anna.press(menu, "baptized")
    assert (await anna.press(menu, "baptized")).text == "Taken back: baptized"  # a slip
    await anna.press(menu, "in a group")
    await team.drain()
    card = await team.fake.wait_for(
        team.group.id, lambda m: "✝ 2 milestones: reading the Bible, in a group" in m.text)
    assert "Good talk" not in card.text

    screen = await team.admin.ask("/c 1", contains="History")
    assert "📝 Good talk, wants to read John" in screen.text
    assert "✝ Milestones: reading the Bible (1 Dec 2026), in a group (1 Dec 2026)" in screen.text
    assert "📅 Meeting: 28 Nov 18:00 (UTC) · Café Lviv, Podil" in screen.text
    assert "meeting set for 28 Nov 18:00 (Anna)" in screen.text
    assert "✝ baptized taken back (Anna)" in screen.text
    assert "Milestones" in str(screen.buttons)  # a dispatcher ticks them too

    seq = team.fake.seq
    await team.admin.send("/report 7")
    report = await team.admin.wait_reply(contains="Report", after=seq)
    assert "✝ Milestones: reading the Bible 1, in a group 1" in report.text
    me = await anna.ask("/me", contains="Last 30 days")
    assert "✝ Milestones: reading the Bible 1, in a group 1" in me.text


async def test_typed_times_and_forged_milestone_presses(team: Team) -> None:
    anna, details = await accepted(team)
    seq = team.fake.seq
    await anna.press(details, "Meeting scheduled")
    await anna.wait_reply(contains="when is the meeting?", after=seq)
    await anna.ask("yesterday at noon", contains="I could not read a coming date and time")
    await anna.ask("3.12 18:30", contains="Meeting with #1 on 3 Dec 18:30 (UTC)")
    where = await anna.wait_reply(contains="where is the meeting?", after=seq)
    assert (await anna.press(where, "Skip")).text == "Skipped"
    seq = team.fake.seq
    await anna.press(details, "Reached")
    await anna.wait_reply(contains="add a short note, or press Skip", after=seq)
    await anna.ask("Called, she was glad", contains="Saved")
    screen = await anna.ask("/c 1", contains="History")
    assert "note: Called, she was glad (Anna)" in screen.text

    # someone outside the team forges a milestone press: refused, nothing stored
    stranger = team.fake.user(999, "Eve")
    answer = await stranger.press_data(details, "mk:1:baptized")
    assert "Baptized" not in (answer.text or "")
    assert await rows(team, "select milestone from contact_milestones") == []
