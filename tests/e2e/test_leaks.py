"""Nothing leaked, nothing lost (issue #13): a seeker's words reach only the multiplier who
holds them now, the team chat never shows a seeker's contact details, and every CSV the
bot writes is safe to open in a spreadsheet."""

from bot.cli import main
from tests.e2e.conftest import ADMIN_ID, Team
from tests.e2e.scenarios import cast_with_seeker
from tests.e2e.test_seekers import GREETING, card_after, relayed_to_anna


async def deactivate(team: Team, name: str) -> None:
    """The admin deactivates `name` through /team."""
    listing = await team.admin.ask("/team", contains="Team")
    await team.admin.press(listing, name)
    panel = await team.admin.wait_reply(contains=name)
    seq = team.fake.seq
    await team.admin.press(panel, "Deactivate")
    await team.admin.wait_reply(contains="(deactivated)", after=seq)


async def test_deactivated_holder_hears_nothing_and_the_team_chat_does(team: Team) -> None:
    anna, _, maria, _ = await relayed_to_anna(team)
    await deactivate(team, "Anna")
    seq = team.fake.seq
    await maria.send("Is anyone there? Call me")
    card = await card_after(team, seq, "Is anyone there?")
    assert "waiting for dispatch" in card.text  # a leaver's seekers go back to dispatch at once
    await team.drain()
    assert not any("Is anyone there" in (m.text or "") for m in anna.chat.bot_messages)


async def test_triage_card_masks_contact_details_and_the_claimer_reads_them(team: Team) -> None:
    _, oper, maria = await cast_with_seeker(team)
    await maria.ask("/start", contains=GREETING)
    seq = team.fake.seq
    words = "Call me: +380 44 123 4567, maria.p@example.com, @maria_alt or https://t.me/maria_x"
    await maria.send(words)
    card = await card_after(team, seq, "Call me")
    for detail in ("123 4567", "maria.p@example.com", "@maria_alt", "t.me/maria_x"):
        assert detail not in card.text
    seq = team.fake.seq
    assert (await oper.press(card, "Claim")).text == "It is yours."
    private = await oper.wait_reply(contains="Call me", after=seq)
    assert words in private.text
    card = await card_after(team, seq, "Claimed by Oleh")
    assert "123 4567" not in card.text


def test_dispatchbot_import_of_a_file_with_every_row_refused_exits_2(  # type: ignore[no-untyped-def]
        tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ADMIN_IDS", str(ADMIN_ID))
    monkeypatch.setenv("LOG_FORMAT", "text")
    monkeypatch.chdir(tmp_path)  # no .env here
    file = tmp_path / "bad.csv"
    file.write_bytes(b"name,phone\nOleh,12\n,+380441234567\n")
    assert main(["import", str(file), "--as", str(ADMIN_ID)]) == 2  # nothing done
    assert "0 imported" in capsys.readouterr().out
