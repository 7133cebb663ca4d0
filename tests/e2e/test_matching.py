"""Matching as a dispatcher meets it in Telegram: the admin's areas, a place nobody serves, a
place not on the list, "why not Anna?", /supply with its CSV, /me, /matching."""

import csv
import io

from tests.e2e.conftest import Team
from tests.e2e.scenarios import (
    cast_anna_olga_oleh,
    enter_contact,
    kyiv_areas,
    kyiv_team,
    set_profile,
)


async def test_areas_map_places_flag_the_unserved_and_explain_every_multiplier(team: Team) -> None:
    anna, olga, oper = await cast_anna_olga_oleh(team)
    await kyiv_areas(team)
    await set_profile(team, anna, "Russian", "Podil")
    profile = await olga.ask("/profile", contains="Your profile")
    await olga.press(profile, "Areas…")
    await olga.ask("Оболонь, Atlantis", contains="Not on the team's list of areas: Atlantis")
    await olga.ask("Оболонь", contains="Areas: Obolon")  # Cyrillic, mapped to the known area

    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Подол")  # an alias
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    assert "1. Anna — same area" in card.text
    assert "⚠️" not in card.text  # Olga does not speak Russian: only Anna is suggested

    seq = team.fake.seq
    await team.admin.press(card, "Why not…?")
    why = await team.fake.wait_for(team.group.id, lambda m: "every multiplier" in (m.text or ""), after=seq)
    assert "✅ Anna" in why.text
    assert "✖️ Olga — does not speak Russian" in why.text

    await enter_contact(oper, "Lena Petrova", "+380441234568", "Lviv")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2"))
    assert "⚠️ No multiplier here (Lviv)." in card.text
    assert "Nearest: Anna — Podil, 467 km" in card.text

    await enter_contact(oper, "Ira Sydorenko", "+380441234569", "Pdl")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#3"))
    assert "Area “Pdl” is not on the list" in card.text
    seq = team.fake.seq
    answer = await team.admin.press(card, "📍 Podil?")
    assert answer.text == "Mapped to Podil."
    card = await team.fake.wait_for(team.group.id, lambda m: m.message_id == card.message_id
                                    and "not on the list" not in (m.text or ""), after=seq)
    assert "1. Anna — same area" in card.text

    await team.admin.ask("/map 2 Atlantis", contains="No such area on the list")
    await oper.ask("/map 2 Podil", contains="")  # not a dispatcher: no such command for them
    seq = team.fake.seq
    await team.admin.ask("/map 2 Obolon", contains="#2 is in Obolon now")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2")
                                    and "No multiplier here" not in m.text, after=seq)
    assert "1. Anna — neighbouring area" in card.text


async def test_supply_shows_demand_against_free_capacity_with_the_same_numbers_as_csv(team: Team) -> None:
    anna, olga, oper = await kyiv_team(team)
    for n, area in enumerate(["Podil", "Lviv", "Lviv"]):
        await enter_contact(oper, f"Seeker{n} X", f"+38044123456{n}", area)
    seq = team.fake.seq
    await team.admin.send("/supply")
    report = await team.admin.wait_reply(contains="Supply vs demand", after=seq)
    assert "• Lviv: 2 · 2 · 0 · 0 ⚠️" in report.text
    assert "• Podil: 1 · 1 · 1 · 5" in report.text
    assert "Need more workers: Lviv (+2)" in report.text
    assert "Unserved (nobody works there): #2 Seeker1 (F, Russian, Lviv), #3 Seeker2" in report.text
    assert "Idle multipliers (room, nothing held, no offer in 14 days): Anna, Olga" in report.text
    doc = await team.fake.wait_for(team.admin.id, lambda m: m.kind == "document", after=seq)
    rows = list(csv.DictReader(io.StringIO(doc.document_bytes.decode("utf-8-sig"))))
    lviv = next(r for r in rows if r["kind"] == "area" and r["key"] == "lviv")
    assert (lviv["waiting"], lviv["multipliers"], lviv["shortfall"]) == ("2", "0", "2")
    assert {r["name"] for r in rows if r["kind"] == "idle"} == {"Anna", "Olga"}
    await anna.ask("/supply", contains="")  # multipliers do not get the team's figures
    assert not [m for m in team.fake.chat(anna.id).bot_messages if "Supply" in (m.text or "")]


async def test_me_shows_a_multipliers_own_track_record(team: Team) -> None:
    anna, _, oper = await cast_anna_olga_oleh(team)
    await set_profile(team, anna, "Russian", "Podil")
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    team.clock.advance(hours=2)
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    await anna.press(details, "Reached")
    await anna.wait_reply(contains="Stage: reached")
    me = await anna.ask("/me", contains="Track record")
    assert "Holding now: 1 of 5" in me.text
    assert "1 taken of 1 offered" in me.text
    assert "Acceptance: 100%" in me.text
    assert "You usually answer an offer in 2 hours" in me.text
    assert "Reached within the promised days: 1 of 1" in me.text


async def test_admin_sets_the_matching_policy_and_others_cannot(team: Team) -> None:
    anna, _, oper = await cast_anna_olga_oleh(team)
    shown = await team.admin.ask("/matching", contains="Gender rule: preferred")
    assert "Auto-dispatch: off" in shown.text
    await team.admin.ask("/matching gender required", contains="Gender rule: required")
    await team.admin.ask("/matching gender sometimes", contains="That does not look right")
    await team.admin.ask("/matching fallback en", contains="Fallback languages: English")
    await set_profile(team, anna, "English", "Podil")  # no Russian, but the fallback language
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    assert "1. Anna — same area, no Russian, speaks a fallback language" in card.text
