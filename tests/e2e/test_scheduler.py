"""The bot's own initiative, driven by the fake clock: expiry, nags and escalation,
auto-close, digests in two zones, quiet hours, 429 and 403 from Telegram."""


from tests.e2e.conftest import Team
from tests.e2e.scenarios import accepted, offer_to_anna, ready, scalar


def texts_in(team: Team, chat_id: int, needle: str) -> list[str]:
    return [m.text for m in team.fake.chat(chat_id).bot_messages if needle in (m.text or "")]


async def test_unanswered_offer_expires_and_realtime_dispatchers_hear_at_once(team: Team) -> None:
    anna, _, card = await ready(team)
    await team.admin.ask("/notify realtime", contains="Saved: realtime")
    offer = await offer_to_anna(team, anna, card)
    team.clock.advance(hours=23)
    await team.run_jobs()
    assert await scalar(team, "select status from offers") == "pending"
    team.clock.advance(hours=1)
    seq = team.fake.seq
    await team.run_jobs()
    await team.fake.wait_for(team.group.id, lambda m: "No answer in time: Anna" in m.text, after=seq)
    expired = await anna.wait_reply(contains="expired without an answer", after=seq)
    assert expired.message_id == offer.message_id and expired.buttons == []
    notice = await team.admin.wait_reply(contains="No answer from Anna in time", after=seq)
    assert "#1 Maria (F, Russian, Podil) is back in the queue" in notice.text
    assert await scalar(team, "select status from contacts") == "new"


async def test_nags_then_escalation_then_reassign(team: Team) -> None:
    anna, _ = await accepted(team)
    team.clock.advance(days=2)
    await team.run_jobs()
    nag = await anna.wait_reply(contains="Update needed")
    assert "at “accepted” for 2 days" in nag.text and "Reached" in str(nag.buttons)
    team.clock.advance(hours=12)
    await team.run_jobs()  # not again within the nag interval
    assert len(texts_in(team, anna.id, "Update needed")) == 1
    team.clock.advance(hours=12)
    await team.run_jobs()
    assert len(texts_in(team, anna.id, "Update needed")) == 2
    seq = team.fake.seq
    team.clock.advance(hours=24)
    await team.run_jobs()
    alarm = await team.fake.wait_for(team.group.id, lambda m: "not answered 2 reminders" in m.text, after=seq)
    assert alarm.buttons == [["Reassign", "Remind again", "Give more time"]]
    await team.fake.wait_for(team.group.id, lambda m: "Multiplier not responding" in m.text, after=seq)
    team.clock.advance(hours=24)
    await team.run_jobs()  # escalated once: no more nags, no second alarm
    assert len(texts_in(team, anna.id, "Update needed")) == 2
    assert len(texts_in(team, team.group.id, "not answered")) == 1

    seq = team.fake.seq
    assert (await team.admin.press(alarm, "Reassign")).text == "Back in the queue for dispatch."
    card = await team.fake.wait_for(team.group.id, lambda m: "Status: waiting for dispatch" in m.text, after=seq)
    # as the card's Reassign: Anna is told, loses the details, and is not suggested again
    assert "Offer to Anna" not in str(card.buttons) and "Reassigned away: Anna" in card.text
    await anna.wait_reply(contains="was reassigned by the dispatchers", after=seq)
    assert await scalar(team, "select assignee_id from contacts") is None


async def test_an_answer_to_a_nag_resets_it_and_remind_again_works(team: Team) -> None:
    anna, _ = await accepted(team)
    team.clock.advance(days=2)
    await team.run_jobs()
    nag = await anna.wait_reply(contains="Update needed")
    await anna.press(nag, "Meeting scheduled")
    assert await scalar(team, "select nag_count from contacts") == 0
    team.clock.advance(days=3)  # meeting scheduled with no 'met' for 3 days
    seq = team.fake.seq
    await team.run_jobs()
    await anna.wait_reply(contains="at “meeting scheduled” for 3 days", after=seq)
    for _ in range(2):
        team.clock.advance(days=1)
        await team.run_jobs()
    alarm = await team.fake.wait_for(team.group.id, lambda m: "not answered 2 reminders" in m.text)
    seq = team.fake.seq
    assert (await team.admin.press(alarm, "Remind again")).text == "Reminder sent."
    await team.drain()
    await anna.wait_reply(contains="Update needed", after=seq)
    assert await scalar(team, "select escalated_at is null and nag_count = 1 from contacts") == 1


async def test_could_not_reach_closes_itself_after_the_period(team: Team) -> None:
    anna, details = await accepted(team)
    await anna.press(details, "Could not reach")
    team.clock.advance(days=13)
    await team.run_jobs()
    assert await scalar(team, "select status from contacts") == "could_not_reach"
    team.clock.advance(days=1)
    seq = team.fake.seq
    await team.run_jobs()
    await team.fake.wait_for(team.group.id, lambda m: "Closed: no response" in m.text, after=seq)
    assert await scalar(team, "select close_reason from contacts") == "no_response"


async def test_digests_at_their_time_in_each_persons_zone(team: Team) -> None:
    dina = team.fake.user(401, "Dina")
    await team.invite(dina, "Dispatcher")
    await team.admin.ask("/timezone Europe/Kyiv", contains="now Europe/Kyiv")
    await dina.ask("/timezone America/New_York", contains="now America/New_York")
    await team.run_jobs()  # 09:00 UTC: everyone's digest clock starts now
    anna, _, _ = await ready(team)

    team.clock.advance(hours=2)  # 11:00 UTC = 13:00 Kyiv, 06:00 New York
    await team.run_jobs()
    digest = await team.admin.wait_reply(contains="Dispatch digest")
    assert "Waiting for dispatch (1)\n#1 Maria (F, Russian, Podil) — waiting 2 hours" in digest.text
    assert digest.buttons == [["Open #1"]]
    assert texts_in(team, dina.id, "Dispatch digest") == []
    assert texts_in(team, anna.id, "Your digest") == []  # nothing for her: an empty digest is not sent

    team.clock.advance(hours=7)  # 18:00 UTC = 13:00 New York; Kyiv's 17:00 passed too
    await team.run_jobs()
    await dina.wait_reply(contains="Dispatch digest")
    assert len(texts_in(team, team.admin.id, "Dispatch digest")) == 2
    await team.run_jobs()  # same slot again: nothing new
    assert len(texts_in(team, team.admin.id, "Dispatch digest")) == 2

    seq = team.fake.seq
    await team.admin.press(digest, "Open #1")
    opened = await team.admin.wait_reply(contains="#1 Maria", after=seq)
    assert "Offer to Anna" in str(opened.buttons)


async def test_quiet_hours_hold_a_nag_until_morning(team: Team) -> None:
    anna, _ = await accepted(team)
    team.clock.advance(days=2, hours=12)  # 21:00 UTC: quiet
    await team.run_jobs()
    await team.fake.wait_idle()
    assert texts_in(team, anna.id, "Update needed") == []
    assert await scalar(team, "select count(*) from outbox where status='queued'") == 1
    team.clock.advance(hours=11)  # 08:00
    await team.drain()
    await anna.wait_reply(contains="Update needed")


async def test_429_is_retried_after_the_time_telegram_asks(team: Team) -> None:
    anna, _, card = await ready(team)
    team.fake.fail_next("sendMessage", error_code=429, retry_after=5, chat_id=anna.id)
    await team.admin.press(card, "Offer to Anna")
    await team.drain()
    assert texts_in(team, anna.id, "Can you reach") == []
    assert "Too Many Requests: retry after 5" in await scalar(
        team, "select last_error from outbox where purpose='offer'")
    team.clock.advance(seconds=5)
    await team.drain()
    await anna.wait_reply(contains="Can you reach")
    assert await scalar(team, "select attempts || status from outbox where purpose='offer'") == "2sent"


async def test_a_multiplier_who_blocked_the_bot_is_marked_and_the_team_told(team: Team) -> None:
    anna, _, card = await ready(team)
    team.fake.block(anna.id)
    seq = team.fake.seq
    assert (await team.admin.press(card, "Offer to Anna")).text == "Offered to Anna."
    await team.drain()
    await team.fake.wait_for(team.group.id, lambda m: "Anna cannot be reached by the bot" in m.text, after=seq)
    card = await team.fake.wait_for(team.group.id, lambda m: "Status: waiting for dispatch" in m.text, after=seq)
    assert "Offer to Anna" not in str(card.buttons)  # unreachable people are not suggested
    assert await scalar(team, "select status from offers") == "withdrawn"
    assert await scalar(team, "select unreachable_at is not null from members where tg_user_id=201") == 1


async def test_multiplier_digest_lists_contacts_that_need_an_update(team: Team) -> None:
    anna, details = await accepted(team)
    await team.run_jobs()  # digest clocks start at 09:00
    team.clock.advance(days=2, hours=4)  # 13:00 two days later; accepted 2 days ago: overdue
    await team.run_jobs()
    digest = await anna.wait_reply(contains="Your digest")
    assert "Contacts that need an update (1)\n#1 Maria (F, Russian, Podil) — accepted for 2 days" in digest.text


async def test_server_errors_back_off_and_then_deliver(team: Team) -> None:
    anna, _, card = await ready(team)
    team.fake.fail_next("sendMessage", error_code=502, times=2, chat_id=anna.id)
    await team.admin.press(card, "Offer to Anna")
    await team.drain()  # attempt 1 fails: retry in 1 s
    team.clock.advance(seconds=1)
    await team.drain()  # attempt 2 fails: retry in 2 s more
    team.clock.advance(seconds=1)
    await team.drain()
    assert texts_in(team, anna.id, "Can you reach") == []
    team.clock.advance(seconds=1)
    await team.drain()
    await anna.wait_reply(contains="Can you reach")
    assert await scalar(team, "select attempts || status from outbox where purpose='offer'") == "3sent"


async def test_admin_sets_digest_times_and_more_time_restarts_the_clock(team: Team) -> None:
    await team.admin.ask("/digest_times 10:30, 08:00", contains="Digests will go out at 08:00, 10:30")
    await team.admin.ask("/digest_times soon", contains="Send times like")
    anna, _ = await accepted(team)
    await team.run_jobs()
    for _ in range(3):  # 2 nags, then the escalation
        team.clock.advance(days=2)
        await team.run_jobs()
    alarm = await team.fake.wait_for(team.group.id, lambda m: "not answered 2 reminders" in m.text)
    assert (await team.admin.press(alarm, "Give more time")).text == "The clock starts again."
    nags = len(texts_in(team, anna.id, "Update needed"))
    team.clock.advance(days=1)
    await team.run_jobs()
    assert len(texts_in(team, anna.id, "Update needed")) == nags  # within the 2 days again
    digests = texts_in(team, team.admin.id, "Dispatch digest")
    assert digests, "the admin's digests came at the new times"
    assert await scalar(team, "select value from settings where key='digest_times'") == "08:00,10:30"
