"""Real-time dispatchers get a ping per event; digest-mode ones (the default) do not."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import offer_to_anna, ready


async def test_realtime_pings_for_new_declined_and_handed_back(team: Team) -> None:
    dina = team.fake.user(401, "Dina")
    await team.invite(dina, "Dispatcher")
    await dina.ask("/notify realtime", contains="Saved: realtime")
    anna, _, card = await ready(team)
    await team.drain()
    await dina.wait_reply(contains="🆕 #1 Maria (F, Russian, Podil) waits for dispatch")

    offer = await offer_to_anna(team, anna, card)
    seq = team.fake.seq
    await anna.press(offer, "No")
    await team.drain()
    await dina.wait_reply(contains="Anna declined #1 Maria", after=seq)

    card = await team.fake.wait_for(team.group.id, lambda m: "Declined: Anna" in m.text)
    seq = team.fake.seq
    await team.admin.press(card, "Other…")  # she said no once; the dispatcher asks again
    card = await team.fake.wait_for(team.group.id, lambda m: "✋ Anna (0/5)" in str(m.buttons), after=seq)
    await team.admin.press(card, "✋ Anna (0/5)")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567")
    await anna.press(details, "Hand back to dispatcher")
    seq = team.fake.seq
    await anna.ask("Wrong city", contains="back with the dispatchers")
    await team.drain()
    await dina.wait_reply(contains="Anna handed back #1 Maria (F, Russian, Podil): Wrong city", after=seq)

    boss_pings = [m for m in team.fake.chat(team.admin.id).bot_messages
                  if any(s in m.text for s in ("🆕", "declined", "handed back"))]
    assert boss_pings == []  # the admin is in digest mode
