"""The whole core loop as people do it: bind, invite, profile, /new, offer, decline, accept,
stages, /my — every step read back from what Telegram users would see."""

from sqlalchemy import text

from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_maria, set_profile


async def test_contact_goes_from_intake_to_an_accepted_multiplier(team: Team) -> None:
    fake = team.fake
    anna = fake.user(201, "Anna", username="anna_m")
    olga = fake.user(202, "Olga", username="olga_m")
    oper = fake.user(301, "Oleh", username="oleh_op")

    await team.admin.ask("/start", contains="Hello, Boss")
    await team.bind()
    await team.invite(anna, "Multiplier")
    await team.invite(olga, "Multiplier")
    await team.invite(oper, "Operator")
    await set_profile(team, anna, "Russian", "Podil")
    await set_profile(team, olga, "Russian", "Obolon")

    await enter_maria(team, oper)
    card = await fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    assert "Maria (F, Russian, Podil)" in card.text
    assert "Instagram ad" in card.text
    assert "1. Anna — same area, speaks Russian, same gender, load 0/5, never offered yet" in card.text
    assert "2. Olga" in card.text
    assert "+380" not in card.text and "Ivanova" not in card.text  # privacy: first name only

    seq = fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    assert offer.text == "Can you reach Maria (F, Russian, Podil) in the next 2 days?"
    assert offer.buttons == [["Yes", "No"]]
    card = await fake.wait_for(team.group.id, lambda m: "Offered to Anna" in (m.text or ""), after=seq)
    assert card.buttons == [["Withdraw offer"]]

    seq = fake.seq
    await anna.press(offer, "No")
    why = await anna.wait_reply(contains="What was the reason?", after=seq)
    await anna.press(why, "too far")
    card = await fake.wait_for(team.group.id, lambda m: "Declined: Anna (too far)" in (m.text or ""), after=seq)
    assert "1. Olga" in card.text and "Anna —" not in card.text

    await olga.ask("/timezone America/New_York", contains="Your time zone is now America/New_York")
    await olga.ask("/timezone Mars/Base", contains="That is not a time zone name")
    seq = fake.seq
    await team.admin.press(card, "Offer to Olga")
    offer = await olga.wait_reply(contains="Can you reach", after=seq)
    assert "+380" not in offer.text
    answer = await olga.press(offer, "Yes")
    assert answer.text == "Thank you! The details are below."
    details = await olga.wait_reply(contains="+380441234567", after=seq)
    assert "Maria Ivanova" in details.text and "Prefers evenings" in details.text
    # accepted at 09:00 UTC with 2 days to reach: shown in Olga's own zone (UTC-5 in November)
    assert "please reach them by 28 Nov 04:00 (America/New_York)" in details.text
    assert ["Contact attempted", "Reached"] in details.buttons
    card = await fake.wait_for(team.group.id, lambda m: "Accepted by Olga" in (m.text or ""), after=seq)
    assert card.buttons == [["Ask for an update", "Message Olga"], ["Reassign…", "Close…"]]
    assert "stage: accepted" in card.text

    seq = fake.seq
    await olga.press(details, "Reached")
    details = await olga.wait_reply(contains="Stage: reached", after=seq)
    assert "• Reached" in sum(details.buttons, [])
    await fake.wait_for(team.group.id, lambda m: "stage: reached" in (m.text or ""), after=seq)

    mine = await olga.ask("/my", contains="Your contacts")
    assert "Reached" in mine.text and "#1 Maria (F, Russian, Podil)" in mine.text
    assert "since 26 Nov 04:00 (America/New_York)" in mine.text
    assert "You hold no contacts" in (await anna.ask("/my", contains="no contacts")).text

    async with team.db.connect() as conn:
        rows = (await conn.execute(text(
            "select action, after from audit_log where entity='contact' order by id"))).all()
    assert [r.action for r in rows] == ["create", "offer", "declined", "offer", "assign", "stage"]
