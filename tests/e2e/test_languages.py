"""Every person reads their own language, whoever caused the message: a Russian team chat, a
Ukrainian multiplier whose offer a Russian-speaking dispatcher pressed, her digest from a job,
an Italian seeker's greeting."""


from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_maria, scalar, set_profile


async def test_each_reader_gets_their_own_language(team: Team) -> None:
    fake = team.fake
    dmitri = fake.user(210, "Dmitri", username="dmitri_d", language_code="ru")
    anna = fake.user(201, "Anna", username="anna_m", language_code="uk")
    await team.admin.ask("/start", contains="Hello, Boss")
    await team.bind()
    await team.invite(dmitri, "Dispatcher", welcome="Добро пожаловать, Dmitri!")
    await team.invite(anna, "Multiplier", welcome="Ласкаво просимо, Anna!")
    # Anna fills in her profile in English (the shared step presses English buttons), then
    # goes back to Telegram's language: her own choice wins over it, until she changes it.
    await anna.ask("/language en", contains="Done: I will write to you in English")
    await set_profile(team, anna, "Russian", "Podil")
    await anna.ask("/language uk", contains="Українська")
    # The admin keeps English; the team chat (and whoever chose nothing) goes Russian.
    await team.admin.ask("/language en", contains="English")
    seq = fake.seq
    await team.admin.send("/language ru", chat=team.group)
    await fake.wait_for(team.group.id, lambda m: "Русский" in (m.text or ""), after=seq)
    assert await scalar(team, "select value from settings where key = 'team_language'") == "ru"
    await team.run_jobs()  # everyone's digest clock starts now (a newcomer gets no backlog)

    seq = fake.seq
    await enter_maria(team, team.admin)
    card = await fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"),
                               after=seq)
    assert "русский" in card.text  # Maria's language, named in the team chat's language
    assert card.has_button("Предложить: Anna")

    seq = fake.seq
    answer = await dmitri.press(card, "Предложить: Anna")
    assert "Anna" in (answer.text or "")
    offer = await anna.wait_reply(contains="Maria", after=seq)
    assert "зможете" in offer.text and "російська" in offer.text  # Ukrainian, not Russian
    assert offer.buttons == [["Так", "Ні"]]
    await fake.wait_for(team.group.id, lambda m: "Предложено: Anna" in (m.text or ""), after=seq)

    seq = fake.seq
    team.clock.advance(hours=4, minutes=1)  # past the 13:00 digest
    await team.run_jobs()
    digest = await anna.wait_reply(contains="Ваше зведення", after=seq)
    assert "#1 Maria" in digest.text

    giulia = fake.user(900, "Giulia", language_code="it")
    await giulia.ask("Ciao, vorrei parlare con qualcuno", contains="Grazie per averci scritto")
