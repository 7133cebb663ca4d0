"""The name a seeker is called by: the given name on the team card and in the offer, the
full name only after Yes, whichever order the source wrote it in (issue #13 item 2)."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import kyiv_team, offer_to_anna

FIO_LEADS = "ФИО;Телефон;Пол;Язык;Город\nИванова Мария Петровна;+380441234567;ж;ru;Podil\n"


async def test_a_fio_column_is_read_surname_first(team: Team) -> None:
    anna, _olga, _oper = await kyiv_team(team)
    await team.admin.send_document(FIO_LEADS.encode(), "leads.csv", mime_type="text/csv")
    await team.admin.wait_reply(contains="Import of leads.csv: 1 imported")
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 "))
    assert card.text.startswith("#1 Мария (F, Russian, Podil)")
    assert "Иванова" not in card.text

    offer = await offer_to_anna(team, anna, card)
    assert "Can you reach Мария (F, Russian, Podil)" in offer.text
    assert "Иванова" not in offer.text
    seq = team.fake.seq
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    assert "#1 Иванова Мария Петровна" in details.text
