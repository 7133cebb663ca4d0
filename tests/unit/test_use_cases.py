"""Use cases on the in-memory unit of work (tests/fakes/uow.py): no database, no Telegram.

Each test runs the real use case and reads what it left committed: the stored state, the
audit rows, the outbox rows queued, and the effects handed over after the commit. Races,
SQL and migrations are the storage tier's (tests/storage)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.delivery import Purpose
from domain.effects import Effect
from domain.errors import DomainError, NoLongerAvailable, NotAllowed
from domain.members import Member, NotifyMode
from domain.offers import Offer, OfferStatus
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services import answers, dispatch, intake
from tests.fakes.uow import FakeDatabase

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TEAM_CHAT_ID = -100


def compose(locale: str, offer: Offer, contact: Contact) -> tuple[str, str]:
    return f"offer {offer.id} for {contact.details.call_name}", "{}"


class World:
    def __init__(self, db: FakeDatabase, dispatcher: Member, quiet_dispatcher: Member,
                 multiplier: Member, other: Member, contact: Contact) -> None:
        self.db, self.dispatcher, self.quiet_dispatcher = db, dispatcher, quiet_dispatcher
        self.multiplier, self.other, self.contact = multiplier, other, contact

    @property
    def tables(self):  # type: ignore[no-untyped-def]
        return self.db.committed

    def queued(self, purpose: str) -> list:  # type: ignore[type-arg]
        return [r for r in self.tables.outbox if r.purpose == purpose and r.status == "queued"]

    def audit(self, entity: str, entity_id: int) -> list[tuple[str, object, object]]:
        return [(a.action, json.loads(a.before) if a.before else None,
                 json.loads(a.after) if a.after else None)
                for a in self.tables.audit if (a.entity, a.entity_id) == (entity, entity_id)]


@pytest.fixture
async def world() -> World:
    """A team chat, a real-time dispatcher, a digest dispatcher, two multipliers, a waiting
    contact; all committed, nothing queued yet."""
    db = FakeDatabase()
    async with db.uow() as uow:
        dispatcher = await uow.members.add(1001, "Dora", None, {Role.DISPATCHER}, NOW)
        await uow.members.update(dispatcher.id, notify_mode=NotifyMode.REALTIME)
        quiet = await uow.members.add(1002, "Quinn", None, {Role.DISPATCHER}, NOW)
        multiplier = await uow.members.add(2001, "Max", None, {Role.MULTIPLIER}, NOW)
        other = await uow.members.add(2002, "Mia", None, {Role.MULTIPLIER}, NOW)
        await uow.settings.set(TEAM_CHAT, str(TEAM_CHAT_ID))
        contact = await uow.contacts.add(ContactDetails("Anna Berg", phone="+4915112345678"),
                                         dispatcher.id, NOW)
        await uow.commit()
        dispatcher = await uow.members.get(dispatcher.id)
        assert dispatcher is not None
    return World(db, dispatcher, quiet, multiplier, other, contact)


async def offer(world: World, multiplier: Member | None = None) -> Offer:
    async with world.db.uow() as uow:
        made = await dispatch.make_offer(uow, world.dispatcher, world.contact.id,
                                         (multiplier or world.multiplier).id, NOW, 3,
                                         timedelta(hours=24), compose)
    return made.offer


# ---------------------------------------------------------------------- offers


async def test_an_offer_moves_the_contact_and_queues_the_offer_and_the_card(world: World) -> None:
    made = await offer(world)

    t = world.tables
    assert t.contacts[world.contact.id].status is Status.OFFERED
    assert t.contacts[world.contact.id].auto_dispatch is False
    stored = t.offers[made.id]
    assert (stored.status, stored.multiplier_id, stored.offered_by, stored.days) == (
        OfferStatus.PENDING, world.multiplier.id, world.dispatcher.id, 3)
    assert stored.expires_at == NOW + timedelta(hours=24)
    [dm] = world.queued(Purpose.OFFER)
    assert (dm.chat_id, dm.ref_id, dm.message.member_id, dm.message.text) == (
        world.multiplier.tg_user_id, made.id, world.multiplier.id, f"offer {made.id} for Anna")
    [card] = world.queued(Purpose.CARD)
    assert (card.chat_id, card.ref_id) == (TEAM_CHAT_ID, world.contact.id)
    assert world.audit("contact", world.contact.id) == [("offer", "new", "offered")]
    assert world.audit("offer", made.id) == [("create", None, "pending")]
    assert world.db.effects == {Effect.WAKE_SENDER}


async def test_accept_assigns_the_contact(world: World) -> None:
    made = await offer(world)
    later = NOW + timedelta(hours=1)

    async with world.db.uow() as uow:
        answered = await answers.accept(uow, world.multiplier, made.id, later)

    t = world.tables
    assert t.offers[made.id].status is OfferStatus.ACCEPTED
    assert t.offers[made.id].answered_at == later
    contact = t.contacts[world.contact.id]
    assert (contact.status, contact.assignee_id, contact.stage_changed_at) == (
        Status.ACCEPTED, world.multiplier.id, later)
    assert answered.contact == contact
    assert world.audit("offer", made.id)[-1] == ("accept", "pending", "accepted")
    assert world.audit("contact", world.contact.id)[-1] == ("assign", "offered", "accepted")
    assert len(world.queued(Purpose.CARD)) == 1  # one queued row per card: rendered when sent
    assert world.queued(Purpose.DECLINED) == []
    assert Effect.AUTODISPATCH not in world.db.effects


async def test_decline_returns_the_contact_and_tells_realtime_dispatchers(world: World) -> None:
    made = await offer(world)
    world.db.after_commit.clear()

    async with world.db.uow() as uow:
        await answers.decline(uow, world.multiplier, made.id, NOW + timedelta(minutes=5))

    t = world.tables
    assert t.offers[made.id].status is OfferStatus.DECLINED
    assert t.contacts[world.contact.id].status is Status.NEW
    assert t.contacts[world.contact.id].assignee_id is None
    assert world.audit("contact", world.contact.id)[-1] == ("declined", "offered", "new")
    [ping] = world.queued(Purpose.DECLINED)  # the digest dispatcher reads it later
    assert (ping.chat_id, ping.ref_id) == (world.dispatcher.tg_user_id, made.id)
    assert world.db.after_commit == [frozenset({Effect.AUTODISPATCH, Effect.WAKE_SENDER})]


async def test_someone_elses_offer_is_refused_and_nothing_is_committed(world: World) -> None:
    made = await offer(world)
    before, commits = world.tables, world.db.commits

    async with world.db.uow() as uow:
        with pytest.raises(NotAllowed):
            await answers.accept(uow, world.other, made.id, NOW)
        assert uow.effects.take() == frozenset()

    assert world.db.commits == commits
    assert world.tables is before
    assert world.tables.offers[made.id].status is OfferStatus.PENDING


async def test_an_offer_on_a_contact_already_offered_leaves_nothing_behind(world: World) -> None:
    await offer(world)
    rows, audit, commits = len(world.tables.outbox), len(world.tables.audit), world.db.commits

    with pytest.raises(NoLongerAvailable):
        await offer(world, world.other)

    assert (len(world.tables.outbox), len(world.tables.audit)) == (rows, audit)
    assert world.db.commits == commits
    assert [o.multiplier_id for o in world.tables.offers.values()] == [world.multiplier.id]


async def test_a_late_answer_expires_the_offer_instead(world: World) -> None:
    made = await offer(world)

    async with world.db.uow() as uow:
        with pytest.raises(NoLongerAvailable):
            await answers.accept(uow, world.multiplier, made.id, NOW + timedelta(hours=25))

    assert world.tables.offers[made.id].status is OfferStatus.EXPIRED  # committed before raising
    assert world.tables.contacts[world.contact.id].status is Status.NEW
    assert world.audit("offer", made.id)[-1] == ("expire", "pending", "expired")


async def test_a_rollback_discards_writes_and_effects() -> None:
    db = FakeDatabase()
    async with db.uow() as uow:
        await uow.settings.set(TEAM_CHAT, "-1")
        await uow.commit()
        await uow.settings.set(TEAM_CHAT, "-2")
        await uow.contacts.add(ContactDetails("X", phone="+1"), None, NOW)
        uow.effects.add(Effect.AUTODISPATCH)
        await uow.rollback()
        assert await uow.settings.team_chat_id() == -1
        assert await uow.contacts.with_status([Status.NEW]) == []
        await uow.commit()
    assert db.committed.contacts == {}
    assert db.after_commit == []


# ---------------------------------------------------------------------- hold and resume


async def test_hold_and_resume(world: World) -> None:
    async with world.db.uow() as uow:
        view = await dispatch.hold(uow, world.dispatcher, world.contact.id, NOW)
    assert view.contact.status is Status.ON_HOLD
    assert world.tables.contacts[world.contact.id].status is Status.ON_HOLD

    async with world.db.uow() as uow:
        with pytest.raises(NoLongerAvailable):  # on hold already
            await dispatch.hold(uow, world.dispatcher, world.contact.id, NOW)
        await dispatch.resume(uow, world.dispatcher, world.contact.id, NOW + timedelta(hours=1))

    assert world.tables.contacts[world.contact.id].status is Status.NEW
    assert world.audit("contact", world.contact.id) == [("hold", "new", "on_hold"),
                                                        ("resume", "on_hold", "new")]
    assert len(world.queued(Purpose.CARD)) == 1  # one redraw pending, rendered when sent


async def test_a_multiplier_cannot_hold(world: World) -> None:
    async with world.db.uow() as uow:
        with pytest.raises(DomainError):
            await dispatch.hold(uow, world.multiplier, world.contact.id, NOW)
    assert world.tables.contacts[world.contact.id].status is Status.NEW
    assert world.tables.audit == []


# ---------------------------------------------------------------------- intake


async def test_a_new_contact_queues_its_card_and_nudges_autodispatch(world: World) -> None:
    async with world.db.uow() as uow:
        result = await intake.create_contact(
            uow, world.dispatcher, ContactDetails("Ben Olsen", tg_username="benolsen"), NOW)

    assert result.created
    contact = world.tables.contacts[result.contact.id]
    assert (contact.status, contact.created_by) == (Status.NEW, world.dispatcher.id)
    assert world.tables.contact_columns[contact.id]["dup_checked_at"] == NOW
    [card] = world.queued(Purpose.CARD)
    assert (card.chat_id, card.ref_id) == (TEAM_CHAT_ID, contact.id)
    [ping] = world.queued(Purpose.NEW_CONTACT)
    assert ping.chat_id == world.dispatcher.tg_user_id
    assert [a for a, _, _ in world.audit("contact", contact.id)] == ["create"]
    assert world.db.after_commit == [frozenset({Effect.AUTODISPATCH, Effect.WAKE_SENDER})]


async def test_a_known_seeker_is_attached_not_created_again(world: World) -> None:
    async with world.db.uow() as uow:
        result = await intake.create_contact(
            uow, world.dispatcher,
            ContactDetails("Anna Berg", phone="+4915112345678", email="anna@example.org",
                           source="web"), NOW)

    assert not result.created
    assert result.contact.id == world.contact.id
    assert list(world.tables.contacts) == [world.contact.id]
    assert world.tables.contacts[world.contact.id].details.email == "anna@example.org"
    [touch] = world.tables.touches
    assert (touch.contact_id, touch.source) == (world.contact.id, "web")
    assert world.queued(Purpose.NEW_CONTACT) == []
    assert Effect.AUTODISPATCH not in world.db.effects


async def test_a_similar_seeker_becomes_a_pending_suspect(world: World) -> None:
    async with world.db.uow() as uow:
        result = await intake.create_contact(
            uow, world.dispatcher, ContactDetails("Anna Berg", phone="+4315112345678"), NOW)

    assert result.created
    [suspect] = world.tables.suspects.values()
    assert (suspect.contact_id, suspect.other_id, suspect.status) == (
        result.contact.id, world.contact.id, "pending")
    assert {r.ref_id for r in world.queued(Purpose.CARD)} == {result.contact.id,
                                                              world.contact.id}


async def test_intake_without_a_way_to_reach_commits_nothing(world: World) -> None:
    async with world.db.uow() as uow:
        with pytest.raises(DomainError):
            await intake.create_contact(uow, world.dispatcher, ContactDetails("Nobody"), NOW)
    assert list(world.tables.contacts) == [world.contact.id]
    assert world.tables.outbox == [] and world.db.after_commit == []
