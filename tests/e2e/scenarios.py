"""Scenario steps the end-to-end tests share: who is on the team, a contact entered, an
offer made and accepted, and small reads of the database.

Every step acts through Telegram as people would (the fake's users talking to the running
bot) and waits for the bot's answer before it returns, so the next step starts from a
settled state. The people are always the same: Boss the admin (`team.admin`), Anna (201)
and Olga (202) the multipliers, Oleh (301) the operator, Maria the contact or the seeker.
"""

import asyncio
import socket

from sqlalchemy import text

from tests.e2e.conftest import Team
from tests.fake_telegram import FakeMessage, FakeUser

# ---------------------------------------------------------------------- reading back


async def scalar(team: Team, sql: str):  # type: ignore[no-untyped-def]
    """The first column of the first row of `sql` (None without rows)."""
    async with team.db.connect() as conn:
        return (await conn.execute(text(sql))).scalar()


async def until(read, expected: object) -> None:  # type: ignore[no-untyped-def]
    """Until `await read()` gives `expected` (what a handler stores after its answer, or
    without one), for as long as a test waits for a message."""
    for _ in range(300):
        if await read() == expected:
            return
        await asyncio.sleep(0.05)
    assert await read() == expected


async def rows(team: Team, sql: str) -> list[tuple]:
    """Every row of `sql`, as tuples."""
    async with team.db.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for the bot's own HTTP server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------- single steps


async def set_profile(team: Team, user, language: str, area: str) -> None:  # type: ignore[no-untyped-def]
    """`user` (a member) fills in /profile: female, speaks `language`, serves `area`.
    Leaves the profile message, showing "Areas: <area>" (the area's name on the team's list,
    or the folded place without one), as their last bot message."""
    profile = await user.ask("/profile", contains="Your profile")
    await user.press(profile, "female")
    profile = await user.wait_reply(contains="Gender: female")
    await user.press(profile, language)
    await user.press(profile, "Areas…")
    await user.ask(area, predicate=lambda m: f"areas: {area}".lower() in (m.text or "").lower())


async def enter_contact(  # type: ignore[no-untyped-def]
    oper,
    name: str,
    reach: str,
    area: str,
    *,
    source: str = "Instagram ad",
    notes: str = "-",
    done: str = "Saved as #",
) -> FakeMessage:
    """`oper` enters a female, Russian-speaking contact with /new. Returns the bot's last
    answer, which contains `done` (a new contact's card then goes to the team chat)."""
    await oper.ask("/new", contains="What is their name?")
    await oper.ask(name, contains="How can we reach them?")
    gender = await oper.ask(reach, contains="Gender?")
    await oper.press(gender, "female")
    language = await oper.wait_reply(contains="Which language")
    await oper.press(language, "Russian")
    await oper.wait_reply(contains="Where are they")
    await oper.ask(area, contains="Where did they come from")
    await oper.ask(source, contains="Any notes")
    return await oper.ask(notes, contains=done)


async def enter_maria(team: Team, oper) -> None:  # type: ignore[no-untyped-def]
    """`oper` enters Maria Ivanova (F, Russian, Podil, +380 44 123 4567, notes "Prefers
    evenings") as contact #1; her card is on its way to the team chat."""
    await enter_contact(oper, "Maria Ivanova", "+380 44 123 4567", "Podil",
                        notes="Prefers evenings", done="Saved as #1 and sent to the team chat")


async def kyiv_areas(team: Team) -> None:
    """The admin defines the areas Podil (aliases Подол, Podol) and Obolon in Kyiv,
    neighbours, and Lviv."""
    await team.admin.ask("/area Podil | Kyiv | 50.465, 30.515 | Подол, Podol", contains="Saved: Podil (Kyiv)")
    await team.admin.ask("/area Obolon | Kyiv | 50.50, 30.50", contains="Saved: Obolon (Kyiv)")
    await team.admin.ask("/area Lviv | Lviv | 49.84, 24.03", contains="Saved: Lviv (Lviv)")
    await team.admin.ask("/near Podil | Obolon", contains="Podil and Obolon are neighbours")


async def offer_to_anna(team: Team, anna, card):  # type: ignore[no-untyped-def]
    """The admin presses "Offer to Anna" on `card`; returns Anna's offer message (with
    Yes / No) once the card says "Offered to Anna"."""
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    await team.fake.wait_for(team.group.id, lambda m: "Offered to Anna" in m.text, after=seq)
    return await anna.wait_reply(contains="Can you reach", after=seq)


# ---------------------------------------------------------------------- whole set-ups


async def cast_anna_olga_oleh(team: Team) -> tuple[FakeUser, FakeUser, FakeUser]:
    """The admin said /start, the team chat is bound, Anna and Olga (no usernames) are
    multipliers without profiles, Oleh is an operator. Returns (anna, olga, oper)."""
    anna, olga = team.fake.user(201, "Anna"), team.fake.user(202, "Olga")
    oper = team.fake.user(301, "Oleh")
    await team.admin.ask("/start", contains="Hello, Boss")
    await team.bind()
    for user, role in ((anna, "Multiplier"), (olga, "Multiplier"), (oper, "Operator")):
        await team.invite(user, role)
    return anna, olga, oper


async def kyiv_team(team: Team) -> tuple[FakeUser, FakeUser, FakeUser]:
    """`cast_anna_olga_oleh`, `kyiv_areas`, and profiles: Anna (F, Russian, Podil), Olga
    (F, Russian, Obolon). Returns (anna, olga, oper)."""
    anna, olga, oper = await cast_anna_olga_oleh(team)
    await kyiv_areas(team)
    await set_profile(team, anna, "Russian", "Podil")
    await set_profile(team, olga, "Russian", "Obolon")
    return anna, olga, oper


async def auto_on(team: Team) -> tuple[FakeUser, FakeUser, FakeUser]:
    """`kyiv_team` with auto-dispatch on, 2 tries per contact. Returns (anna, olga, oper)."""
    anna, olga, oper = await kyiv_team(team)
    await team.admin.ask("/matching auto on", contains="Auto-dispatch: on, 3 tries")
    await team.admin.ask("/matching tries 2", contains="Auto-dispatch: on, 2 tries")
    return anna, olga, oper


async def anna_and_oleh(team: Team) -> tuple[FakeUser, FakeUser]:
    """The team chat is bound, Anna (@anna_m) is a multiplier with a profile (F, Russian,
    Podil), Oleh (@oleh_op) an operator. Returns (anna, oper)."""
    anna = team.fake.user(201, "Anna", username="anna_m")
    oper = team.fake.user(301, "Oleh", username="oleh_op")
    await team.bind()
    await team.invite(anna, "Multiplier")
    await team.invite(oper, "Operator")
    await set_profile(team, anna, "Russian", "Podil")
    return anna, oper


async def cast_with_seeker(team: Team) -> tuple[FakeUser, FakeUser, FakeUser]:
    """`anna_and_oleh`, plus Maria P (@maria_p, 501), a stranger who has not written yet.
    Returns (anna, oper, maria)."""
    anna, oper = await anna_and_oleh(team)
    return anna, oper, team.fake.user(501, "Maria", last_name="P", username="maria_p")


async def make_contact(team: Team, oper, card: FakeMessage, gender: str = "Unknown",  # type: ignore[no-untyped-def]
                       language: str = "Unknown", area: str = "Unknown"):
    """*Make contact* on a triage card, then the operator's private dialog: the buttons
    `gender`, `language`, `area` (the guesses come first; "Unknown" leaves a field empty),
    then *Send to dispatch*. Returns the answer to that last press ("Sent to dispatch as
    #1…")."""
    seq = team.fake.seq
    assert (await oper.press(card, "Make contact")).text.startswith("Confirm the details")
    dialog = await oper.wait_reply(contains="Gender?", after=seq)
    for button, next_question in ((gender, "Which language"), (language, "Where do they live"),
                                  (area, "Ready.")):
        seq = team.fake.seq
        await oper.press(dialog, button)
        dialog = await oper.wait_reply(contains=next_question, after=seq)
    return await oper.press(dialog, "Send to dispatch")


async def ready(team: Team):  # type: ignore[no-untyped-def]
    """`anna_and_oleh`, then Oleh entered Maria (`enter_maria`): contact #1 waits for
    dispatch. Returns (anna, oper, card), the card being #1's in the team chat."""
    anna, oper = await anna_and_oleh(team)
    await enter_maria(team, oper)
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    return anna, oper, card


async def accepted(team: Team):  # type: ignore[no-untyped-def]
    """`ready`, then Anna was offered #1 and said Yes; the card says "Accepted by Anna".
    Returns (anna, details), her message with Maria's phone and the stage buttons."""
    anna, oper, card = await ready(team)
    offer = await offer_to_anna(team, anna, card)
    seq = team.fake.seq
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    await team.fake.wait_for(team.group.id, lambda m: "Accepted by Anna" in m.text, after=seq)
    return anna, details


async def hand_back(holder, details: FakeMessage, reason: str) -> None:  # type: ignore[no-untyped-def]
    """The holder presses Hand back on their details message and types why."""
    await holder.press(details, "Hand back to dispatcher")
    await holder.wait_reply(contains="Why are you handing")
    await holder.ask(reason, contains="is back with the dispatchers")


async def accepted_and_met(team: Team):  # type: ignore[no-untyped-def]
    """`cast_anna_olga_oleh`, Anna's profile (Russian, Podil); Oleh entered Maria (#1)
    and Lena (#2), both Podil; Anna was offered #1, accepted it 30 minutes later, reached
    Maria 2 hours after that, then met her (stage "met"). #2 still waits. The fake clock
    stands 2.5 hours on. Returns (anna, oper)."""
    anna, _, oper = await cast_anna_olga_oleh(team)
    await set_profile(team, anna, "Russian", "Podil")
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    await enter_contact(oper, "Lena Petrova", "+380441234568", "Podil")
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    seq = team.fake.seq
    await team.admin.press(card, "Offer to Anna")
    offer = await anna.wait_reply(contains="Can you reach", after=seq)
    team.clock.advance(minutes=30)
    await anna.press(offer, "Yes")
    details = await anna.wait_reply(contains="+380441234567", after=seq)
    team.clock.advance(hours=2)
    await anna.press(details, "Reached")
    details = await anna.wait_reply(contains="Stage: reached")
    await anna.press(details, "Met")
    await anna.wait_reply(contains="Stage: met")
    return anna, oper


async def finish_forwarded(oper, language: str, area: str) -> None:  # type: ignore[no-untyped-def]
    """After `oper` forwarded a seeker's message: female, `language`, `area`, no source, no
    notes. Leaves the contact saved as #1 and its card on its way to the team chat."""
    gender = await oper.wait_reply(contains="Gender?")
    await oper.press(gender, "female")
    await oper.press(await oper.wait_reply(contains="Which language"), language)
    await oper.wait_reply(contains="Where are they")
    await oper.ask(area, contains="Where did they come from")
    await oper.ask("-", contains="Their message will be kept")
    await oper.ask("-", contains="Saved as #1")


# ---------------------------------------------------------------------- web lead forms


async def make_form(team: Team, slug: str = "spring-campaign") -> FakeMessage:
    """Boss makes a web form with /form new; its panel (default fields: name, phone,
    Telegram)."""
    await team.admin.ask("/start", contains="Hello, Boss")
    return await team.admin.ask(f"/form new {slug}", contains="Web form")
