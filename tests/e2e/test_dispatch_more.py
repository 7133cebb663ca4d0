"""The rest of the core loop through Telegram: forwarded intake, hold/resume/close, picking
any multiplier, hand back, /queue, and admins managing the team."""

from sqlalchemy import text

from tests.e2e.conftest import Team
from tests.e2e.scenarios import hand_back, offer_to_anna, ready, scalar


def on_card(team: Team, needle: str, after: int):  # type: ignore[no-untyped-def]
    return team.fake.wait_for(team.group.id, lambda m: needle in (m.text or ""), after=after)


async def test_forwarding_a_seekers_message_starts_a_prefilled_form(team: Team) -> None:
    oper = team.fake.user(301, "Oleh")
    await team.bind()
    await team.invite(oper, "Operator")
    await oper.forward("Hi, I saw your ad, can we meet?",
                       from_user={"id": 777, "first_name": "Maria", "last_name": "K", "username": "maria_k"})
    gender = await oper.wait_reply(contains="Gender?")
    await oper.press(gender, "female")
    await oper.press(await oper.wait_reply(contains="Which language"), "Ukrainian")
    await oper.wait_reply(contains="Where are they")
    await oper.ask("Lviv", contains="Where did they come from")
    await oper.ask("-", contains="Their message will be kept")
    await oper.ask("-", contains="Saved as #1")
    async with team.db.connect() as conn:
        row = (await conn.execute(text("select name, tg_username, tg_user_id, notes, source from contacts"))).one()
    assert tuple(row) == ("Maria K", "maria_k", 777, "Hi, I saw your ad, can we meet?", "")


async def test_hold_resume_close_and_pick_any_multiplier(team: Team) -> None:
    anna, _, card = await ready(team)
    olga = team.fake.user(202, "Olga")
    await team.invite(olga, "Multiplier")  # no profile: not in the top suggestions' reasons

    seq = team.fake.seq
    await team.admin.press(card, "Hold")
    card = await on_card(team, "Status: on hold", seq)
    assert card.buttons == [["Resume", "Close…"]]
    seq = team.fake.seq
    await team.admin.press(card, "Resume")
    card = await on_card(team, "Status: waiting for dispatch", seq)

    seq = team.fake.seq
    await team.admin.press(card, "Other…")
    card = await team.fake.wait_for(team.group.id, lambda m: "Olga (0/5)" in str(m.buttons), after=seq)
    await team.admin.press(card, "Olga (0/5)")
    await olga.wait_reply(contains="Can you reach Maria", after=seq)
    card = await on_card(team, "Offered to Olga", seq)

    seq = team.fake.seq
    await team.admin.press(card, "Withdraw offer")
    card = await on_card(team, "Status: waiting for dispatch", seq)
    await team.admin.press(card, "Close…")
    card = await team.fake.wait_for(team.group.id, lambda m: "Spam" in str(m.buttons), after=seq)
    seq = team.fake.seq
    assert (await team.admin.press(card, "Spam")).text == "Closed."
    card = await on_card(team, "Closed: spam", seq)
    assert card.buttons == []
    assert await scalar(team, "select close_reason from contacts") == "spam"


async def test_hand_back_returns_the_contact_with_a_note(team: Team) -> None:
    anna, _, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    seq = team.fake.seq
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    seq = team.fake.seq
    await hand_back(anna, details, "Moved to Lviv")
    card = await on_card(team, "Handed back: Moved to Lviv", seq)
    # nobody else can take her: Anna is still suggested, ranked after anyone who could
    assert "Status: waiting for dispatch" in card.text and "Offer to Anna" in str(card.buttons)
    assert await scalar(team, "select assignee_id from contacts") is None
    await anna.wait_reply(contains="handed back to the dispatchers", after=seq)
    assert "+380" not in details.text and details.buttons == []  # her details are gone
    answer = await anna.press_data(details, "stage:1:reached")  # her old buttons no longer work
    assert answer.text == "This contact is no longer yours."


async def test_queue_shows_waiting_offered_and_declined(team: Team) -> None:
    anna, oper, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    queue = await team.admin.ask("/queue", contains="Dispatch queue")
    assert "Offered, no answer yet (1)\n#1 Maria (F, Russian, Podil)" in queue.text
    assert "offered to Anna" in queue.text
    seq = team.fake.seq
    await anna.press(offer, "No")
    await on_card(team, "Declined: Anna", seq)
    queue = await team.admin.ask("/queue", contains="Dispatch queue")
    assert "Waiting for dispatch (1)" in queue.text and "declined by Anna" in queue.text
    await oper.ask("/queue", contains="not for your role")


async def test_admin_lists_team_changes_roles_and_deactivates(team: Team) -> None:
    anna = team.fake.user(201, "Anna", username="anna_m")
    await team.invite(anna, "Multiplier")
    listing = await team.admin.ask("/team", contains="Team")
    assert "Anna @anna_m — multiplier" in listing.text
    await team.admin.press(listing, "Anna")
    panel = await team.admin.wait_reply(contains="Anna @anna_m")
    seq = team.fake.seq
    await team.admin.press(panel, "dispatcher")
    panel = await team.admin.wait_reply(contains="dispatcher, multiplier", after=seq)
    seq = team.fake.seq
    await team.admin.press(panel, "Deactivate")
    await team.admin.wait_reply(contains="(deactivated)", after=seq)
    await anna.ask("/my", contains="Thank you for writing")  # deactivated = a stranger
    assert (await anna.press(panel, "Activate")).text == "This button is not for you."
    trail = await scalar(team, "select count(*) from audit_log where entity='member' and action in ('roles','active')")
    assert trail == 2


async def test_profile_capacity_and_availability(team: Team) -> None:
    anna = team.fake.user(201, "Anna")
    await team.invite(anna, "Multiplier")
    profile = await anna.ask("/profile", contains="Capacity: 5 contacts")
    await anna.press(profile, "Capacity +1")
    profile = await anna.wait_reply(contains="Capacity: 6 contacts")
    await anna.press(profile, "busy")
    profile = await anna.wait_reply(contains="Availability: busy")
    await anna.press(profile, "Away until…")
    await anna.ask("next week", contains="Please send a date like")
    await anna.ask("2026-01-01", contains="in the past")
    await anna.ask("2026-12-24", contains="Availability: away until 24 Dec 2026")
    async with team.db.connect() as conn:
        row = (await conn.execute(text("select capacity, availability from profiles"))).one()
    assert tuple(row) == (6, "away")
    card_ready = await team.admin.ask("/team", contains="Team")  # admins see the member
    assert "Anna — multiplier" in card_ready.text
