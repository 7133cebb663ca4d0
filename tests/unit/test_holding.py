"""After Yes the dispatcher keeps control, on the fake unit of work: ask for an update,
reassign, close, message the holder, a hand-back, a leaver. Each test reads what the use
case left committed: the contact, the offer's release, the audit rows, the outbox rows."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import CloseReason, Contact, ContactDetails, Status
from domain.delivery import Purpose
from domain.errors import AlreadyAsked, NoLongerAvailable, NoLongerYours, NotAllowed
from domain.members import Member
from domain.offers import Offer, Release
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services import answers, dispatch, followup, holding, notify, team
from services.leavers import LeaverWords
from services.cards import build_card
from tests.fakes.uow import FakeDatabase

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
TEAM_CHAT_ID = -100
DM = (2001, 777)  # where Max's offer message (then his details) landed
INTERVAL = timedelta(hours=24)
LEAVING = LeaverWords(
    note=lambda locale, name, left, stage: f"{name} {'left' if left else 'stopped'} at {stage}",
    summary=lambda locale, d: f"{d.name}: {list(d.contacts)} back, {list(d.offers)} withdrawn")


def compose(locale: str, offer: Offer, contact: Contact) -> tuple[str, str]:
    return f"offer {offer.id}", "{}"


def compose_ask(locale: str, contact: Contact, asker: str, note: str) -> tuple[str, str]:
    return f"{asker} asks about #{contact.id}: {note}", '{"stages": true}'


class World:
    def __init__(self, db: FakeDatabase, admin: Member, boss: Member, max_: Member, mia: Member,
                 oper: Member) -> None:
        self.db, self.admin, self.boss = db, admin, boss
        self.max, self.mia, self.oper = max_, mia, oper

    @property
    def t(self):  # type: ignore[no-untyped-def]
        return self.db.committed

    def queued(self, purpose: str) -> list:  # type: ignore[type-arg]
        return [r for r in self.t.outbox if r.purpose == purpose and r.status == "queued"]

    def actions(self, entity: str, entity_id: int) -> list[str]:
        return [a.action for a in self.t.audit if (a.entity, a.entity_id) == (entity, entity_id)]

    async def contact(self, name: str = "Anna Berg") -> int:
        async with self.db.uow() as uow:
            contact = await uow.contacts.add(ContactDetails(name, phone="+4915112345678"),
                                             self.boss.id, NOW)
            await uow.commit()
        return contact.id

    async def offer(self, contact_id: int, to: Member) -> Offer:
        async with self.db.uow() as uow:
            return (await dispatch.make_offer(uow, self.boss, contact_id, to.id, NOW, 3,
                                              timedelta(hours=24), compose)).offer

    async def held_by(self, to: Member, name: str = "Anna Berg") -> tuple[int, Offer]:
        """A contact `to` accepted; their offer message landed at DM."""
        contact_id = await self.contact(name)
        made = await self.offer(contact_id, to)
        async with self.db.uow() as uow:
            await uow.offers.save_dm(made.id, *DM)
            await uow.commit()
        async with self.db.uow() as uow:
            await answers.accept(uow, to, made.id, NOW)
        self.t.outbox.clear()
        return contact_id, made


@pytest.fixture
async def world() -> World:
    db = FakeDatabase()
    async with db.uow() as uow:
        boss = await uow.members.add(1001, "Dora", None, {Role.DISPATCHER}, NOW)
        max_ = await uow.members.add(2001, "Max", None, {Role.MULTIPLIER}, NOW)
        mia = await uow.members.add(2002, "Mia", None, {Role.MULTIPLIER}, NOW)
        oper = await uow.members.add(3001, "Otto", None, {Role.OPERATOR}, NOW)
        admin = await uow.members.add(1000, "Ada", None, {Role.ADMIN}, NOW)
        await uow.settings.set(TEAM_CHAT, str(TEAM_CHAT_ID))
        await uow.commit()
    return World(db, admin, boss, max_, mia, oper)


async def test_reassign_tells_the_holder_strips_their_message_and_keeps_them_out(world: World) -> None:
    contact_id, made = await world.held_by(world.max)
    async with world.db.uow() as uow:
        view = await holding.reassign(uow, world.boss, contact_id, world.max.id, LATER)

    contact = world.t.contacts[contact_id]
    assert (contact.status, contact.assignee_id, contact.waiting_since, contact.auto_dispatch) == (
        Status.NEW, None, LATER, False)
    offer = world.t.offers[made.id]
    assert (offer.release, offer.released_at) == (Release.REASSIGNED, LATER)
    assert world.actions("contact", contact_id)[-1] == "reassign"
    assert world.actions("offer", made.id)[-1] == "release"
    [edit] = world.queued(Purpose.RELEASED_EDIT)
    assert (edit.chat_id, edit.message.edit_message_id, edit.ref_id) == (*DM, made.id)
    [told] = world.queued(Purpose.RELEASED)
    assert (told.chat_id, told.ref_id) == (world.max.tg_user_id, made.id)
    assert told.message.not_before in (None, LATER)  # at once, quiet hours or not
    assert len(world.queued(Purpose.CARD)) == 1
    assert view.reassigned == {world.max.id}
    assert world.max.id not in [s.member.id for s in view.suggestions]
    assert world.mia.id in [s.member.id for s in view.suggestions]


async def test_reassign_is_for_dispatchers_and_only_for_the_holder_the_card_showed(world: World) -> None:
    contact_id, _ = await world.held_by(world.max)
    for who in (world.max, world.oper, None):
        with pytest.raises(NotAllowed):
            async with world.db.uow() as uow:
                await holding.reassign(uow, who, contact_id, world.max.id, LATER)
    with pytest.raises(NoLongerAvailable):
        async with world.db.uow() as uow:
            await holding.reassign(uow, world.boss, contact_id, world.mia.id, LATER)
    async with world.db.uow() as uow:
        await holding.reassign(uow, world.boss, contact_id, world.max.id, LATER)
    with pytest.raises(NoLongerAvailable):  # a second press
        async with world.db.uow() as uow:
            await holding.reassign(uow, world.boss, contact_id, world.max.id, LATER)
    assert world.actions("contact", contact_id).count("reassign") == 1


async def test_a_holder_let_go_hears_no_longer_yours_on_their_old_buttons(world: World) -> None:
    contact_id, _ = await world.held_by(world.max)
    async with world.db.uow() as uow:
        await holding.reassign(uow, world.boss, contact_id, world.max.id, LATER)
    with pytest.raises(NoLongerYours):
        async with world.db.uow() as uow:
            await followup.set_stage(uow, world.max, contact_id, Status.REACHED, LATER)
    with pytest.raises(NotAllowed):  # someone who never held it: not theirs at all
        async with world.db.uow() as uow:
            await followup.set_stage(uow, world.mia, contact_id, Status.REACHED, LATER)


async def test_an_ask_reaches_the_holder_shows_on_the_card_and_a_stage_answers_it(world: World) -> None:
    contact_id, _ = await world.held_by(world.max)
    async with world.db.uow() as uow:
        await holding.ask_update(uow, world.boss, contact_id, world.max.id, "evenings only", LATER,
                                 INTERVAL, notify.NO_QUIET, compose_ask)
    contact = world.t.contacts[contact_id]
    assert (contact.update_requested_at, contact.update_requested_by) == (LATER, world.boss.id)
    assert (contact.nag_count, contact.last_nag_at) == (1, LATER)  # it counts as a reminder
    [ask] = [r for r in world.t.outbox if r.chat_id == world.max.tg_user_id]
    assert (ask.message.text, ask.message.reply_markup) == (
        f"Dora asks about #{contact_id}: evenings only", '{"stages": true}')
    assert len(world.queued(Purpose.CARD)) == 1
    [row] = [a for a in world.t.audit if a.action == "ask_update"]
    assert json.loads(row.after or "") == {"holder": world.max.id, "note": "evenings only"}

    with pytest.raises(AlreadyAsked):
        async with world.db.uow() as uow:
            await holding.ask_update(uow, world.boss, contact_id, world.max.id, "", LATER,
                                     INTERVAL, notify.NO_QUIET, compose_ask)
    async with world.db.uow() as uow:
        await followup.set_stage(uow, world.max, contact_id, Status.REACHED, LATER)
    contact = world.t.contacts[contact_id]
    assert (contact.update_requested_at, contact.update_requested_by, contact.nag_count) == (
        None, None, 0)


async def test_close_with_a_reason_tells_the_holder(world: World) -> None:
    contact_id, made = await world.held_by(world.max)
    async with world.db.uow() as uow:
        await holding.close(uow, world.boss, contact_id, world.max.id,
                            CloseReason.NOT_INTERESTED, LATER)
    contact = world.t.contacts[contact_id]
    assert (contact.status, contact.close_reason) == (Status.CLOSED, "not_interested")
    assert world.t.offers[made.id].release is Release.CLOSED
    assert world.actions("contact", contact_id)[-1] == "close:not_interested"
    assert len(world.queued(Purpose.RELEASED)) == 1 and len(world.queued(Purpose.RELEASED_EDIT)) == 1


async def test_message_the_holder_is_relayed_and_audited(world: World) -> None:
    contact_id, _ = await world.held_by(world.max)
    async with world.db.uow() as uow:
        await holding.message_holder(uow, world.boss, contact_id, world.max.id, "call after six",
                                     LATER, notify.NO_QUIET,
                                     lambda locale, c, who, text: f"{who}: {text}")
    [note] = [r for r in world.t.outbox if r.chat_id == world.max.tg_user_id]
    assert note.message.text == "Dora: call after six"
    assert world.actions("contact", contact_id)[-1] == "message_holder"


async def test_a_hand_back_strips_the_message_without_telling(world: World) -> None:
    contact_id, made = await world.held_by(world.max)
    async with world.db.uow() as uow:
        done = await followup.hand_back(uow, world.max, contact_id, "moved away", LATER)
    assert world.t.offers[made.id].release is Release.HANDED_BACK
    assert len(world.queued(Purpose.RELEASED_EDIT)) == 1 and world.queued(Purpose.RELEASED) == []
    assert done.contact.dispatch_note == "moved away"
    async with world.db.uow() as uow:
        assert (await build_card(uow, contact_id, LATER)).last_release is Release.HANDED_BACK


async def test_a_leaver_s_contacts_and_offers_go_back_with_one_team_message(world: World) -> None:
    first, _ = await world.held_by(world.max, "Anna Berg")
    second, _ = await world.held_by(world.max, "Lena Vogel")
    async with world.db.uow() as uow:
        await followup.set_stage(uow, world.max, second, Status.REACHED, NOW)
    waiting = await world.contact("Ida Roth")
    pending = await world.offer(waiting, world.max)
    world.t.outbox.clear()

    async with world.db.uow() as uow:
        await team.set_active(uow, world.admin, world.max.id, False, LATER, LEAVING)

    for contact_id, stage in ((first, "accepted"), (second, "reached")):
        contact = world.t.contacts[contact_id]
        assert (contact.status, contact.assignee_id) == (Status.NEW, None)
        assert contact.dispatch_note == f"Max left at {stage}"
    assert world.t.contacts[waiting].status is Status.NEW
    assert world.t.offers[pending.id].status.value == "withdrawn"
    [summary] = [r for r in world.t.outbox if r.chat_id == TEAM_CHAT_ID and r.purpose == Purpose.ALARM]
    assert summary.message.text == f"Max: {[first, second]} back, {[waiting]} withdrawn"
    assert len(world.queued(Purpose.RELEASED_EDIT)) == 2 and world.queued(Purpose.RELEASED) == []
    assert len(world.queued(Purpose.WITHDRAWN)) == 0  # the pending offer's message was never placed
    assert not world.t.members[world.max.id].active


async def test_losing_the_multiplier_role_hands_over_and_someone_with_nothing_is_quiet(world: World) -> None:
    contact_id, _ = await world.held_by(world.max)
    async with world.db.uow() as uow:
        await team.toggle_role(uow, world.admin, world.max.id, Role.MULTIPLIER, LATER, LEAVING)
    assert world.t.contacts[contact_id].dispatch_note == "Max stopped at accepted"
    async with world.db.uow() as uow:
        await team.set_active(uow, world.admin, world.mia.id, False, LATER, LEAVING)
    summaries = [r for r in world.t.outbox if r.purpose == Purpose.ALARM]
    assert [s.message.text for s in summaries] == [f"Max: {[contact_id]} back, [] withdrawn"]
