"""The fuzz world: a team with every role, contacts in several states, a seeker, two
groups; and the actions the fuzzer takes in it, with the answer each one is owed.

Allowed silences (everything else gets a message in the chat it came from, or an
answerCallbackQuery):
  - text that is not a command in a group (the team chat or another): the bot only reads
    it in a dialog, and says nothing otherwise;
  - a private message from someone who is not an active member (a seeker, a deactivated
    member), other than /start and an over-long text: it joins their conversation (or is
    muted or flood-dropped) and is answered only by the first greeting;
  - a repeated update (same update_id): dropped by the dedupe middleware.
"""

import re
from dataclasses import dataclass

from hypothesis import strategies as st
from sqlalchemy import text

from tests.e2e.conftest import Team
from tests.e2e.scenarios import enter_contact, kyiv_team, offer_to_anna
from tests.fake_telegram import FakeChat, FakeUser
from tests.fuzz import strategies as fs

WHO = ("admin", "dispatcher", "operator", "anna", "olga", "seeker", "stranger")
WHERE = ("private", "private", "team", "other")
SEEKER_MAX_TEXT = 2000
START = re.compile(rf"^/start(@{fs.BOT_USERNAME})?(\s|$)", re.IGNORECASE)  # not /start@other_bot


@dataclass(frozen=True)
class Say:
    who: str
    where: str
    text: str


@dataclass(frozen=True)
class Press:
    """Forged data on the chat's latest bot message (data None: a real button, `pick`-th
    of all the buttons the bot showed in that chat)."""

    who: str
    where: str
    data: str | None
    pick: int = 0


@dataclass(frozen=True)
class Repeat:
    """Telegram delivers an earlier message update again (same update_id)."""

    pick: int


@dataclass(frozen=True)
class Tick:
    """Time passes and every job runs (offers expire, reminders, digests, auto-close)."""

    hours: float


@dataclass(frozen=True)
class SendCsv:
    who: str
    data: bytes
    encoding: str


def actions() -> st.SearchStrategy[object]:
    who, where = st.sampled_from(WHO), st.sampled_from(WHERE)
    csv_file = fs.csv_bytes().map(lambda x: (x[0], x[3])) | st.binary(max_size=400).map(
        lambda b: (b, "random bytes"))
    say = st.builds(Say, who, where, fs.message_text())
    forged = st.builds(Press, who, where, fs.callback_data())
    real = st.builds(Press, who, where, st.none(), st.integers(0, 10_000))
    rare = st.one_of(
        st.builds(Repeat, st.integers(0, 10_000)),
        st.builds(Tick, st.sampled_from([0.5, 3, 25, 24 * 8, 24 * 15])),
        st.builds(lambda w, f: SendCsv(w, *f), st.sampled_from(["admin", "admin", "operator"]),
                  csv_file),
    )
    # one_of picks a branch uniformly: repeat a branch to weigh it (10 say, 4 forged, 4 real, 2 rare)
    return st.one_of(*[say] * 10, *[forged] * 4, *[real] * 4, *[rare] * 2)


@dataclass
class World:
    team: Team
    users: dict[str, FakeUser]
    chats: dict[str, FakeChat]

    def chat(self, who: str, where: str) -> FakeChat:
        return self.users[who].chat if where == "private" else self.chats[where]

    async def is_member(self, user: FakeUser) -> bool:
        async with self.team.db.connect() as conn:
            active = (await conn.execute(text(
                "select active from members where tg_user_id = :u"), {"u": user.id})).scalar()
        return bool(active)

    async def silence_allowed(self, who: str, where: str, said: str) -> str | None:
        """Why this message may go unanswered, or None if it must be answered."""
        if where != "private":
            return None if said.startswith("/") else "text in a group that is not a command"
        if await self.is_member(self.users[who]):
            return None
        if START.match(said) or len(said) > SEEKER_MAX_TEXT:
            return None
        return "a seeker's message (stored, muted or flood-dropped; greeted once)"


async def build(team: Team) -> World:
    """Admin Boss, dispatcher Dina, operator Oleh, multipliers Anna (Podil) and Olga
    (Obolon); #1 accepted by Anna, #2 offered to Anna, #3 waiting, #4 a possible duplicate
    of #1; a seeker who wrote (a triage card); a stranger in another group."""
    fake = team.fake
    anna, olga, oper = await kyiv_team(team)
    dina = fake.user(401, "Dina")
    await team.invite(dina, "Dispatcher")
    await enter_contact(oper, "Maria Ivanova", "+380441234567", "Podil")
    await enter_contact(oper, "Lena Petrova", "+380441234568", "Podil")
    await enter_contact(oper, "Iryna Koval", "@iryna_k", "Obolon")
    await enter_contact(oper, "Mariya Ivanova", "+380501112233", "Podil")
    card = await fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1"))
    offer = await offer_to_anna(team, anna, card)
    await anna.press(offer, "Yes")
    await anna.wait_reply(contains="+380441234567")
    card2 = await fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#2"))
    await offer_to_anna(team, anna, card2)
    seeker = fake.user(501, "Maria", last_name="P", username="maria_p")
    await seeker.ask("Hello, I need help", contains="Thank you for writing")
    stranger = fake.user(502, "Mallory", username="mallory")
    other = fake.group(-100777, "Other group")
    await stranger.ask("/help", chat=other)
    await team.drain()
    users = {"admin": team.admin, "dispatcher": dina, "operator": oper, "anna": anna,
             "olga": olga, "seeker": seeker, "stranger": stranger}
    return World(team, users, {"team": team.group, "other": other})
