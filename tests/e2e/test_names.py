"""The name a seeker is called by: the given name on the team card and in the offer, the
full name only after Yes, whichever order the source wrote it in (issue #13 item 2)."""

from tests.e2e.conftest import Team
from tests.e2e.scenarios import finish_forwarded, anna_and_oleh, kyiv_team, make_contact, offer_to_anna, rows

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


async def test_a_forwarded_message_keeps_telegrams_first_and_last_name(team: Team) -> None:
    oper = team.fake.user(301, "Oleh")
    await team.bind()
    await team.invite(oper, "Operator")
    await oper.forward("Hi, I saw your ad", from_user={
        "id": 777, "first_name": "Mary Ann", "last_name": "Smith", "username": "mary_ann"})
    await finish_forwarded(oper, "Ukrainian", "Lviv")
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 "))
    assert card.text.startswith("#1 Mary Ann (F, Ukrainian, Lviv)")
    assert await rows(team, "select name, given_name, family_name from contacts") == [
        ("Mary Ann Smith", "Mary Ann", "Smith")]


async def test_a_seeker_made_a_contact_keeps_telegrams_first_and_last_name(team: Team) -> None:
    _anna, oper = await anna_and_oleh(team)
    seeker = team.fake.user(502, "Mary Ann", last_name="Smith")
    await seeker.ask("Hello", contains="Thank you for writing")
    card = await team.fake.wait_for(team.group.id, lambda m: "Hello" in (m.text or ""))
    seq = team.fake.seq
    assert (await make_contact(team, oper, card)).text.startswith("Sent to dispatch as #1")
    await team.drain()
    contact = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 "),
                                       after=seq)
    assert contact.text.startswith("#1 Mary Ann (")
    assert await rows(team, "select name, given_name, family_name from contacts") == [
        ("Mary Ann Smith", "Mary Ann", "Smith")]
