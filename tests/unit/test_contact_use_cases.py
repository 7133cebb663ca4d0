"""The contact's screen, editing, lists and bursts as use cases on the in-memory unit of
work: what they commit, audit and queue."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.bursts import BURST_SIZE, BURST_WINDOW
from domain.contact_access import HeldByMultiplier, NotYours, Visibility
from domain.contacts import Contact, ContactDetails, Status
from domain.delivery import Purpose
from domain.members import Member
from domain.offers import Offer
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services import contact_edit, contact_lists, contact_screen, dispatch, intake, notify
from services.card_queue import Arrival
from tests.fakes.uow import FakeDatabase, Tables

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TEAM_CHAT_ID = -100


def compose_offer(locale: str, offer: Offer, contact: Contact) -> tuple[str, str]:
    return "offer", "{}"


def compose_edited(locale: str, contact: Contact, name: str, editor: str) -> str:
    return f"{name} of #{contact.id} changed by {editor}"


class Team:
    def __init__(self, db: FakeDatabase, dispatcher: Member, operator: Member,
                 holder: Member) -> None:
        self.db, self.dispatcher, self.operator, self.holder = db, dispatcher, operator, holder

    @property
    def t(self) -> Tables:
        return self.db.committed

    def queued(self, purpose: str) -> list:  # type: ignore[type-arg]
        return [r for r in self.t.outbox if r.purpose == purpose and r.status == "queued"]

    async def enter(self, name: str, phone: str, arrival: Arrival | None = None,
                    at: datetime = NOW) -> Contact:
        async with self.db.uow() as uow:
            done = await intake.create_contact(uow, self.operator,
                                               ContactDetails(name, phone=phone, area="Podil",
                                                              source="api:web"),
                                               at, arrival=arrival)
        return done.contact

    async def enter_held(self, name: str, phone: str) -> Contact:
        """As a row of an import too big for cards: its own batch, held from the start."""
        async with self.db.uow() as uow:
            batch = await uow.contacts.new_batch("csv:x", NOW)
            await uow.commit()
        return await self.enter(name, phone, Arrival("csv:x", batch, hold=True))

    async def hold_by(self, contact: Contact) -> None:
        async with self.db.uow() as uow:
            await uow.contacts.set_fields(contact.id, status=Status.REACHED,
                                          assignee_id=self.holder.id)
            await uow.commit()


@pytest.fixture
async def team() -> Team:
    db = FakeDatabase()
    async with db.uow() as uow:
        dispatcher = await uow.members.add(1, "Dora", None, {Role.DISPATCHER}, NOW)
        operator = await uow.members.add(2, "Oleh", None, {Role.OPERATOR}, NOW)
        holder = await uow.members.add(3, "Anna", None, {Role.MULTIPLIER}, NOW)
        await uow.settings.set(TEAM_CHAT, str(TEAM_CHAT_ID))
        await uow.commit()
    return Team(db, dispatcher, operator, holder)


async def save(team: Team, actor: Member, contact_id: int, name: str, text: str):  # type: ignore[no-untyped-def]
    async with team.db.uow() as uow:
        return await contact_edit.save(uow, actor, contact_id, name, text, NOW, region="UA",
                                       languages=["ru"], quiet=notify.NO_QUIET,
                                       compose=compose_edited)


# ---------------------------------------------------------------------- the screen


async def test_the_screen_has_the_timeline_and_the_viewers_actions(team: Team) -> None:
    maria = await team.enter("Maria Ivanova", "+380441234567")
    async with team.db.uow() as uow:
        full = await contact_screen.open_screen(uow, team.dispatcher, maria.id, True, NOW)
        card = await contact_screen.open_screen(uow, team.dispatcher, maria.id, False, NOW)
    assert full.visibility is Visibility.FULL and card.visibility is Visibility.CARD
    assert [e.kind for e in full.timeline.events] == ["create"]
    assert full.names[team.operator.id] == "Oleh"
    assert full.editable and card.editable == ()
    await team.hold_by(maria)
    async with team.db.uow() as uow:
        with pytest.raises(HeldByMultiplier):
            await contact_screen.open_screen(uow, team.operator, maria.id, True, NOW)


# ---------------------------------------------------------------------- editing


async def test_a_fixed_phone_is_audited_rechecked_redrawn_and_told_to_the_holder(
        team: Team) -> None:
    maria = await team.enter("Maria Ivanova", "+380441234567")
    lena = await team.enter("Lena Petrova", "+380441234599")
    await team.hold_by(maria)
    team.t.outbox.clear()

    done = await save(team, team.dispatcher, maria.id, "phone", "+380 44 123 4599")

    assert done.changed and team.t.contacts[maria.id].details.phone == "+380441234599"
    [edit] = [a for a in team.t.audit if a.action == "edit"]
    assert (json.loads(edit.before or ""), json.loads(edit.after or "")) == (
        {"phone": "+380441234567"}, {"phone": "+380441234599"})
    assert [m.contact_id for m in done.suspects] == [lena.id]  # same phone, another name
    assert {r.ref_id for r in team.queued(Purpose.CARD)} == {maria.id, lena.id}
    [notice] = team.queued(Purpose.NOTICE)
    assert (notice.chat_id, notice.message.text) == (
        team.holder.tg_user_id, f"phone of #{maria.id} changed by Dora")


async def test_the_same_value_changes_nothing(team: Team) -> None:
    maria = await team.enter("Maria Ivanova", "+380441234567")
    done = await save(team, team.dispatcher, maria.id, "phone", "044 123 4567")
    assert not done.changed and not [a for a in team.t.audit if a.action == "edit"]


async def test_a_new_place_is_mapped_like_intake_maps_it(team: Team) -> None:
    from domain.areas import Area
    async with team.db.uow() as uow:
        await uow.areas.save(Area("obolon", "Obolon", aliases=frozenset({"оболонь"})))
        await uow.commit()
    maria = await team.enter("Maria Ivanova", "+380441234567")
    await save(team, team.dispatcher, maria.id, "area", "Оболонь")
    assert team.t.contacts[maria.id].area_key == "obolon"
    await save(team, team.dispatcher, maria.id, "area", "Pdl")
    assert team.t.contacts[maria.id].area_key is None  # the card offers its guesses again


async def test_an_operator_cannot_change_a_held_contact(team: Team) -> None:
    maria = await team.enter("Maria Ivanova", "+380441234567")
    await save(team, team.operator, maria.id, "notes", "call after six")
    await team.hold_by(maria)
    with pytest.raises(HeldByMultiplier):
        await save(team, team.operator, maria.id, "notes", "call after seven")
    assert team.t.contacts[maria.id].details.notes == "call after six"
    async with team.db.uow() as uow:
        with pytest.raises(NotYours):
            await contact_edit.editable(uow, replace(team.holder, id=99), maria.id, True)


# ---------------------------------------------------------------------- lists


async def test_lists_select_by_stage_and_multiplier_a_page_at_a_time(team: Team) -> None:
    contacts = [await team.enter(f"Seeker{n} Test", f"+38044123{n:04d}") for n in range(25)]
    await team.hold_by(contacts[3])
    async with team.db.uow() as uow:
        reached = await contact_lists.search(uow, team.dispatcher, "reached anna")
        first = await contact_lists.search(uow, team.dispatcher, "")
        last = await contact_lists.page(uow, team.dispatcher, first.code, 7)  # past the end
    assert [c.id for c in reached.contacts] == [contacts[3].id]
    assert (first.total, first.pages, len(first.contacts)) == (25, 3, 10)
    assert first.contacts[0].id == contacts[-1].id  # newest first
    assert (last.page, len(last.contacts)) == (2, 5)


# ---------------------------------------------------------------------- bursts


async def test_the_eleventh_arrival_in_a_minute_holds_the_cards_and_queues_one_summary(
        team: Team) -> None:
    arrival = Arrival("api:web")
    first = [await team.enter(f"Seeker{n} Test", f"+38044123{n:04d}", arrival,
                              NOW + timedelta(seconds=n)) for n in range(BURST_SIZE)]
    assert len(team.queued(Purpose.CARD)) == BURST_SIZE  # single arrivals: cards at once
    eleventh = await team.enter("Seeker10 Test", "+380441230010", arrival,
                                NOW + timedelta(seconds=20))
    twelfth = await team.enter("Seeker11 Test", "+380441230011", arrival,
                               NOW + timedelta(seconds=30))

    assert team.queued(Purpose.CARD) == []  # not posted yet: held, their posts cancelled
    assert all(team.t.contacts[c.id].card_held for c in [*first, eleventh, twelfth])
    [summary] = team.queued(Purpose.BURST)
    batch = team.t.batches[summary.ref_id]
    assert (summary.chat_id, batch.count, batch.channel) == (TEAM_CHAT_ID, 12, "api:web")
    assert summary.message.not_before == NOW + BURST_WINDOW  # counted when the minute is over
    # the twelfth found the window a burst already: stored held in the batch, as it says
    assert (twelfth.card_held, twelfth.batch_id) == (True, batch.id)

    later = await team.enter("Late Comer", "+380441230099", arrival, NOW + timedelta(minutes=2))
    assert [r.ref_id for r in team.queued(Purpose.CARD)] == [later.id]  # a new window


async def test_offering_a_held_contact_posts_its_card(team: Team) -> None:
    held = await team.enter_held("Maria Ivanova", "+380441234567")
    assert team.queued(Purpose.CARD) == [] and team.t.contacts[held.id].card_held
    async with team.db.uow() as uow:
        await dispatch.make_offer(uow, team.dispatcher, held.id, team.holder.id, NOW, 2,
                                  timedelta(hours=24), compose_offer)
    assert not team.t.contacts[held.id].card_held
    assert [r.ref_id for r in team.queued(Purpose.CARD)] == [held.id]


async def test_show_card_posts_a_held_card_once(team: Team) -> None:
    held = await team.enter_held("Maria Ivanova", "+380441234567")
    async with team.db.uow() as uow:
        assert await contact_screen.post_card(uow, team.dispatcher, held.id, NOW)
        assert not await contact_screen.post_card(uow, team.dispatcher, held.id, NOW)
    assert [r.ref_id for r in team.queued(Purpose.CARD)] == [held.id]
