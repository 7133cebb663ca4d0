"""Issue #13: nothing is lost or starved under load. A handler that fails before its
effects were committed is handled again; a throttled triage card is posted once; urgent team
messages overtake bulk ones; a large import does not flood the store with suspects."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import cast_with_seeker
from tests.e2e.test_seekers import GREETING, is_triage_card


def triage_cards(team: Team) -> list:
    return [m for m in team.fake.chat(team.group.id).messages if m.from_bot and is_triage_card(m)]


async def test_a_throttled_triage_card_is_posted_once_and_then_edited(team: Team) -> None:
    _anna, _oper, maria = await cast_with_seeker(team)
    await maria.ask("/start", contains=GREETING)
    team.fake.refuse("sendMessage", 1, chat_id=team.group.id, status=429, retry_after=1)
    await maria.send("Hello, I saw your ad")
    await team.fake.wait_until(lambda: team.fake.refused_counts["sendMessage"] == 1)
    await team.drain()
    assert triage_cards(team) == []  # refused: nothing stored by the fake
    team.clock.advance(seconds=2)
    await team.drain()
    await team.fake.wait_for(team.group.id, lambda m: is_triage_card(m)
                             and "Hello, I saw your ad" in m.text)
    await maria.send("Are you there?")
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: is_triage_card(m)
                                    and "Are you there?" in m.text)
    assert len(triage_cards(team)) == 1 and "Hello, I saw your ad" in card.text
    assert team.fake.refused_counts["sendMessage"] == 1
