"""The open pool: who is invited, whether a Take wins, which moves are allowed (domain.pool),
and the use cases on the in-memory unit of work (services.pool)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.areas import Closeness
from domain.contacts import Contact, ContactDetails, Status
from domain.delivery import Purpose
from domain.errors import AlreadyDone, NoLongerAvailable, NotAllowed
from domain.matching import Exclusion, MatchPolicy, Suggestion
from domain.members import Availability, Member, Profile
from domain.offers import Offer, OfferStatus
from domain.pool import (
    Invitation,
    InvitationState,
    PoolClosed,
    PoolLapsed,
    PoolTaken,
    PoolUnfit,
    check_can_open,
    check_can_pass,
    check_can_take,
    invitees,
)
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services import dispatch, pool
from tests.fakes.uow import FakeDatabase

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TTL = timedelta(hours=24)
MAX = Member(id=1, tg_user_id=11, name="Max", roles=frozenset({Role.MULTIPLIER}))
MIA = Member(id=2, tg_user_id=12, name="Mia", roles=frozenset({Role.MULTIPLIER}))
WAITING = Contact(id=7, details=ContactDetails("Anna"), status=Status.NEW, created_at=NOW,
                  waiting_since=NOW)


def suggestion(member_id: int, closeness: Closeness) -> Suggestion:
    member = Member(id=member_id, tg_user_id=member_id, name=f"M{member_id}")
    return Suggestion(member, 10.0 - member_id, 0, (), closeness=closeness)


def invitation(state: InvitationState = InvitationState.PENDING, member: Member = MAX) -> Invitation:
    return Invitation(3, WAITING.id, member.id, 9, state, 2, NOW)


# ---------------------------------------------------------------------- rules


def test_invitees_are_the_best_in_or_near_the_area_up_to_the_size() -> None:
    ranked = [suggestion(1, Closeness.SAME), suggestion(2, Closeness.FAR),
              suggestion(3, Closeness.NEIGHBOUR), suggestion(4, Closeness.WITHIN_TRAVEL)]
    assert [s.member.id for s in invitees(ranked, True, 5)] == [1, 3, 4]
    assert [s.member.id for s in invitees(ranked, True, 2)] == [1, 3]
    # no known area: the ranking (the hard rules) alone decides
    assert [s.member.id for s in invitees(ranked, False, 3)] == [1, 2, 3]


def test_a_pool_opens_only_when_on_for_a_waiting_contact_and_not_twice() -> None:
    check_can_open(WAITING, True, [])
    check_can_open(WAITING, True, [invitation(InvitationState.WITHDRAWN)])
    with pytest.raises(NotAllowed):
        check_can_open(WAITING, False, [])
    with pytest.raises(NoLongerAvailable):
        check_can_open(replace(WAITING, status=Status.OFFERED), True, [])
    with pytest.raises(AlreadyDone):
        check_can_open(WAITING, True, [invitation()])


@pytest.mark.parametrize(("state", "status", "presser", "refusal"), [
    (InvitationState.PENDING, Status.NEW, MIA, NotAllowed),  # someone else's invitation
    (InvitationState.TAKEN, Status.ACCEPTED, MAX, AlreadyDone),  # a second tap
    (InvitationState.LOST, Status.ACCEPTED, MAX, PoolTaken),  # someone was faster
    (InvitationState.WITHDRAWN, Status.OFFERED, MAX, PoolClosed),  # offered by hand
    (InvitationState.EXPIRED, Status.NEW, MAX, PoolLapsed),  # nobody took it in time
    (InvitationState.PENDING, Status.CLOSED, MAX, PoolClosed),  # closed meanwhile
])
def test_a_take_is_refused_with_what_happened(state: InvitationState, status: Status,
                                               presser: Member, refusal: type) -> None:
    with pytest.raises(refusal):
        check_can_take(invitation(state), presser, replace(WAITING, status=status))


def test_a_take_on_a_pending_invitation_of_a_waiting_contact_may_win() -> None:
    check_can_take(invitation(), MAX, WAITING)


def test_not_me_closes_only_ones_own_pending_invitation() -> None:
    check_can_pass(invitation(), MAX)
    with pytest.raises(NotAllowed):
        check_can_pass(invitation(), MIA)
    with pytest.raises(AlreadyDone):
        check_can_pass(invitation(InvitationState.PASSED), MAX)
    with pytest.raises(PoolClosed):
        check_can_pass(invitation(InvitationState.LOST), MAX)


# ---------------------------------------------------------------------- use cases


@pytest.fixture
async def db() -> FakeDatabase:
    """A dispatcher, three multipliers (no profile: every one passes the rules for a seeker
    of unknown area and language), a waiting contact #?, the open pool on, size 2."""
    db = FakeDatabase()
    async with db.uow() as uow:
        await uow.members.add(1001, "Dora", None, {Role.DISPATCHER}, NOW)
        for tg, name in ((2001, "Max"), (2002, "Mia"), (2003, "Moe")):
            await uow.members.add(tg, name, None, {Role.MULTIPLIER}, NOW)
        await uow.settings.set(TEAM_CHAT, "-100")
        await uow.contacts.add(ContactDetails("Anna Berg", phone="+4915112345678"), None, NOW)
        await uow.settings.save_match_policy(MatchPolicy(open_pool=True, pool_size=2),
                                             MatchPolicy())
        await uow.commit()
    return db


async def member(db: FakeDatabase, name: str) -> Member:
    async with db.uow() as uow:
        found = [m for m in await uow.members.list_all() if m.name == name]
    return found[0]


def contact_id(db: FakeDatabase) -> int:
    return next(iter(db.committed.contacts))


async def opened(db: FakeDatabase) -> list[Invitation]:
    async with db.uow() as uow:
        await pool.open_pool(uow, await member(db, "Dora"), contact_id(db), NOW, 3)
    return sorted(db.committed.invitations.values(), key=lambda i: i.id)


def delivered(db: FakeDatabase, invitation: Invitation, message_id: int) -> None:
    """As the sender records it: where the invitation landed."""
    db.committed.invitations[invitation.id] = replace(invitation, dm=(invitation.member_id,
                                                                      message_id))


async def test_opening_invites_the_best_up_to_the_size_through_the_outbox(db: FakeDatabase) -> None:
    invited = await opened(db)

    assert len(invited) == 2 and {i.state for i in invited} == {InvitationState.PENDING}
    assert {i.days for i in invited} == {3}
    rows = [r for r in db.committed.outbox if r.purpose == Purpose.POOL_INVITE]
    assert sorted(r.ref_id for r in rows) == [i.id for i in invited]
    assert all(r.message.text == "" for r in rows)  # rendered when sent, in the reader's language
    assert db.committed.contacts[contact_id(db)].auto_dispatch is False
    assert any(a.action == "pool_open" for a in db.committed.audit)


async def test_opening_is_refused_when_the_team_has_it_off(db: FakeDatabase) -> None:
    db.committed.match_policy = MatchPolicy()
    with pytest.raises(NotAllowed):
        await opened(db)
    assert db.committed.invitations == {}


async def test_only_a_dispatcher_opens_a_pool(db: FakeDatabase) -> None:
    async with db.uow() as uow:
        with pytest.raises(NotAllowed):
            await pool.open_pool(uow, await member(db, "Max"), contact_id(db), NOW, 3)


async def test_the_first_take_holds_the_contact_as_an_accepted_offer(db: FakeDatabase) -> None:
    first, second = await opened(db)
    delivered(db, second, 55)
    taker = await _invitee(db, first)

    async with db.uow() as uow:
        taken = await pool.take(uow, taker, first.id, NOW, TTL)

    t = db.committed
    held = t.contacts[contact_id(db)]
    assert (held.status, held.assignee_id) == (Status.ACCEPTED, taker.id)
    offer: Offer = taken.offer
    assert (offer.status, offer.multiplier_id, offer.days, offer.answered_at) == (
        OfferStatus.ACCEPTED, taker.id, 3, NOW)
    assert (t.invitations[first.id].state, t.invitations[second.id].state) == (
        InvitationState.TAKEN, InvitationState.LOST)
    edits = [r for r in t.outbox if r.purpose == Purpose.POOL_CLOSED]
    assert [(r.ref_id, r.message.edit_message_id) for r in edits] == [(second.id, 55)]
    assert [a.action for a in t.audit if a.entity == "contact"][-2:] == ["pool_take", "pool_close"]


async def test_a_late_take_is_told_someone_was_first_and_changes_nothing(db: FakeDatabase) -> None:
    first, second = await opened(db)
    async with db.uow() as uow:
        await pool.take(uow, await _invitee(db, first), first.id, NOW, TTL)
    before = (db.commits, len(db.committed.offers))

    async with db.uow() as uow:
        with pytest.raises(PoolTaken):
            await pool.take(uow, await _invitee(db, second), second.id, NOW, TTL)
    async with db.uow() as uow:
        with pytest.raises(AlreadyDone):  # the winner's second tap
            await pool.take(uow, await _invitee(db, first), first.id, NOW, TTL)
    assert (db.commits, len(db.committed.offers)) == before


async def test_an_offer_by_hand_closes_the_pool_and_a_take_then_is_refused(db: FakeDatabase) -> None:
    first, second = await opened(db)
    delivered(db, first, 77)
    moe = await member(db, "Moe")
    async with db.uow() as uow:
        await dispatch.make_offer(uow, await member(db, "Dora"), contact_id(db), moe.id, NOW, 3,
                                  TTL, lambda locale, offer, contact: ("offer", "{}"))

    t = db.committed
    assert {t.invitations[i.id].state for i in (first, second)} == {InvitationState.WITHDRAWN}
    assert [r.message.edit_message_id for r in t.outbox if r.purpose == Purpose.POOL_CLOSED] == [77]
    # the invitation still queued never goes out
    assert [r.status for r in t.outbox
            if r.purpose == Purpose.POOL_INVITE and r.ref_id == second.id] == ["cancelled"]
    async with db.uow() as uow:
        with pytest.raises(PoolClosed):
            await pool.take(uow, await _invitee(db, second), second.id, NOW, TTL)


async def test_closing_the_contact_or_the_pool_by_hand_withdraws_the_invitations(
        db: FakeDatabase) -> None:
    await opened(db)
    async with db.uow() as uow:
        await pool.withdraw(uow, await member(db, "Dora"), contact_id(db), NOW)
    assert {i.state for i in db.committed.invitations.values()} == {InvitationState.WITHDRAWN}
    async with db.uow() as uow:
        with pytest.raises(NoLongerAvailable):  # nothing open any more
            await pool.withdraw(uow, await member(db, "Dora"), contact_id(db), NOW)


async def test_not_me_closes_one_invitation_and_the_pool_stays_open(db: FakeDatabase) -> None:
    first, second = await opened(db)
    async with db.uow() as uow:
        await pool.pass_on(uow, await _invitee(db, first), first.id, NOW)
    t = db.committed
    assert (t.invitations[first.id].state, t.invitations[second.id].state) == (
        InvitationState.PASSED, InvitationState.PENDING)
    assert t.contacts[contact_id(db)].status is Status.NEW


async def test_a_pool_nobody_took_in_an_offers_time_lapses_and_only_then(
        db: FakeDatabase) -> None:
    """Like an unanswered offer: every invitation expires, their messages that went out are
    edited, the contact waits for dispatch again (its card offers the pool anew)."""
    first, second = await opened(db)
    delivered(db, first, 41)
    ttl = timedelta(hours=24)
    async with db.uow() as uow:
        assert await pool.lapsing(uow, NOW + ttl, ttl) == []
        assert await pool.lapse(uow, contact_id(db), NOW + ttl, ttl) is False
    async with db.uow() as uow:
        assert await pool.lapsing(uow, NOW + ttl + timedelta(minutes=1), ttl) == [contact_id(db)]
        assert await pool.lapse(uow, contact_id(db), NOW + ttl + timedelta(minutes=1), ttl)
    t = db.committed
    assert {i.state for i in t.invitations.values()} == {InvitationState.EXPIRED}
    assert t.contacts[contact_id(db)].status is Status.NEW
    edits = [r for r in t.outbox if r.purpose == Purpose.POOL_CLOSED]
    assert [r.ref_id for r in edits] == [first.id]  # the queued one is cancelled, not edited
    assert [r.status for r in t.outbox if r.purpose == Purpose.POOL_INVITE
            and r.ref_id == second.id] == ["cancelled"]
    assert any(a.action == "pool_close" and "expired" in (a.after or "") for a in t.audit)
    async with db.uow() as uow:  # a second run of the job finds nothing
        assert await pool.lapse(uow, contact_id(db), NOW + ttl * 2, ttl) is False


async def _invitee(db: FakeDatabase, invitation: Invitation) -> Member:
    async with db.uow() as uow:
        found = await uow.members.get(invitation.member_id)
    assert found is not None
    return found


async def test_holding_or_closing_the_contact_withdraws_its_invitations(db: FakeDatabase) -> None:
    await opened(db)
    async with db.uow() as uow:
        await dispatch.hold(uow, await member(db, "Dora"), contact_id(db), NOW)
    assert {i.state for i in db.committed.invitations.values()} == {InvitationState.WITHDRAWN}
    assert all(r.status == "cancelled" for r in db.committed.outbox
               if r.purpose == Purpose.POOL_INVITE)


def test_a_take_by_someone_who_no_longer_fits_is_refused() -> None:
    with pytest.raises(PoolUnfit):
        check_can_take(invitation(), MAX, WAITING, Exclusion.FULL)


async def test_an_invitee_away_since_the_invitation_cannot_take(db: FakeDatabase) -> None:
    first, second = await opened(db)
    taker = await _invitee(db, first)
    async with db.uow() as uow:
        await uow.members.save_profile(taker.id, Profile(availability=Availability.AWAY))
        await uow.commit()
    async with db.uow() as uow:
        with pytest.raises(PoolUnfit):
            await pool.take(uow, taker, first.id, NOW, TTL)
    async with db.uow() as uow:  # the others still can
        await pool.take(uow, await _invitee(db, second), second.id, NOW, TTL)
    assert db.committed.invitations[second.id].state is InvitationState.TAKEN


async def test_a_member_who_leaves_loses_their_invitations_and_the_pool_stays_open(
        db: FakeDatabase) -> None:
    first, second = await opened(db)
    async with db.uow() as uow:
        await pool.leave(uow, first.member_id, NOW, None)
        await uow.commit()
    t = db.committed
    assert (t.invitations[first.id].state, t.invitations[second.id].state) == (
        InvitationState.WITHDRAWN, InvitationState.PENDING)
