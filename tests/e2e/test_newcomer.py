"""What a new user runs into: the example token, /help for each role, /areas for operators,
what a card says when everyone declined and once it is accepted, area names in /profile,
and the admin told when someone joins through their invite."""

import shutil
from pathlib import Path

from tests.e2e.conftest import Team
from tests.e2e.scenarios import accepted, kyiv_areas, offer_to_anna, ready
from tests.e2e.test_entry_point import run_to_end

EXAMPLE = Path(__file__).parents[2] / ".env.example"


async def test_the_example_token_is_named_as_such(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / ".env")
    code, err = await run_to_end(tmp_path, "run")
    assert code == 2
    assert err.strip().splitlines()[-1] == ("dispatchbot: error: BOT_TOKEN is still the example "
                                            "value: put your token from @BotFather in .env")


async def test_help_offers_each_role_its_commands_and_operators_get_areas(team: Team) -> None:
    admin_help = await team.admin.ask("/help", contains="Commands:")
    for line in ("/report", "/target", "/matching"):
        assert line in admin_help.text, line
    dina, oper = team.fake.user(401, "Dina"), team.fake.user(301, "Oleh")
    await team.invite(dina, "Dispatcher")
    await team.invite(oper, "Operator")
    dispatcher_help = await dina.ask("/help", contains="Commands:")
    assert "/report" in dispatcher_help.text and "/matching" in dispatcher_help.text
    assert "/target" not in dispatcher_help.text
    operator_help = await oper.ask("/help", contains="Commands:")
    assert "/areas" in operator_help.text and "/report" not in operator_help.text
    await kyiv_areas(team)
    listing = await oper.ask("/areas")
    assert listing.text.splitlines()[:2] == ["Areas", "• Obolon (Kyiv) — next to Podil"]


async def test_a_card_after_the_only_multiplier_declined_says_so(team: Team) -> None:
    anna, _, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    seq = team.fake.seq
    await anna.press(offer, "No")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1")
                                    and "Declined: Anna" in m.text, after=seq)
    assert card.text.splitlines()[-1] == ("Everyone who could take them has declined or let the "
                                          "offer lapse. Use “Other…” to pick anyone.")


async def test_an_accepted_card_no_longer_says_waiting(team: Team) -> None:
    await accepted(team)
    card = await team.fake.wait_for(team.group.id, lambda m: "Accepted by Anna" in (m.text or ""))
    assert card.text.splitlines()[1] == "Source: Instagram ad"


async def test_profile_areas_are_shown_by_their_names(team: Team) -> None:
    anna = team.fake.user(201, "Anna")
    await team.invite(anna, "Multiplier")
    await kyiv_areas(team)
    profile = await anna.ask("/profile", contains="Your profile")
    await anna.press(profile, "Areas…")
    shown = await anna.ask("подол, obolon", contains="Areas:")
    assert "Areas: Obolon, Podil" in shown.text.splitlines()


async def test_the_admin_hears_when_someone_joins_through_their_invite(team: Team) -> None:
    oper = team.fake.user(301, "Oleh", username="oleh_op")
    seq = team.fake.seq
    await team.invite(oper, "Operator")
    await team.drain()
    told = await team.admin.wait_reply(contains="joined", after=seq)
    assert told.text == "Oleh (@oleh_op) joined as operator through your invite."
