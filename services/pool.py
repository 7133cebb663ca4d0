"""The open pool (domain.pool): a dispatcher opens a waiting contact to every eligible
multiplier in and near its area; the first Take holds it, every other invitation closes.

The invitations are rendered when sent (Purpose.POOL_INVITE) in each invitee's language, and
closing the pool edits the messages already out (Purpose.POOL_CLOSED) or cancels the ones
still queued. Whatever moves a contact on (an offer, a merge, closing, holding) closes its
pool in the same transaction with `close_pool`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.contacts import Contact, Status
from domain.delivery import Purpose
from domain.errors import DomainError, NoLongerAvailable
from domain.matching import Exclusion, Place, exclusion, rank
from domain.members import Member
from domain.offers import Offer, OfferStatus
from domain.outbox import Enqueue
from domain.pool import (
    Invitation,
    InvitationState,
    check_can_open,
    check_can_pass,
    check_can_take,
    invitees,
    lapsed,
    lost_race,
)
from domain.roles import DISPATCH_ROLES, Role
from services.access import found, require
from services.card_queue import changed, show
from services.cards import CardView, asked, history
from services.ports import UnitOfWork
from services.transaction import use_case


class NobodyToInvite(DomainError):
    """Nobody passes the matching rules for this seeker now: there is no pool to open."""

    code = "pool_empty"


@dataclass(frozen=True)
class Taken:
    offer: Offer
    contact: Contact
    card: CardView


@dataclass(frozen=True)
class InvitationView:
    invitation: Invitation
    contact: Contact


@use_case
async def open_pool(uow: UnitOfWork, actor: Member | None, contact_id: int, now: datetime,
                    deployment_days: int) -> CardView:
    """Invite the best eligible multipliers (the card's ranking, capped at the team's
    pool_size); the contact leaves auto-dispatch's hands, like an offer by hand."""
    actor = require(actor, *DISPATCH_ROLES)
    contact = found(await uow.contacts.get(contact_id), "contact")
    policy = await uow.settings.match_policy()
    check_can_open(contact, policy.open_pool, await uow.pool.for_contact(contact_id))
    offers = await uow.offers.for_contact(contact_id)
    ranked = rank(contact.details, Place(contact.area_key, await uow.areas.map()),
                  await uow.members.multiplier_candidates(now), now, policy,
                  exclude=asked(offers), limit=None, **history(offers))
    chosen = invitees(ranked, contact.area_key is not None, policy.pool_size)
    if not chosen:
        raise NobodyToInvite()
    if not await uow.contacts.transition(contact_id, [Status.NEW], Status.NEW,
                                         auto_dispatch=False):
        raise NoLongerAvailable("contact moved on")
    days = policy.offer_days or deployment_days
    for s in chosen:
        invitation = await uow.pool.add(contact_id, s.member.id, actor.id, days, now)
        await uow.outbox.add(Enqueue(chat_id=s.member.tg_user_id, member_id=s.member.id,
                                     text="", purpose=Purpose.POOL_INVITE,
                                     ref_id=invitation.id), now)
    await uow.audit.record(now, actor.id, "contact", contact_id, "pool_open", None,
                           [s.member.id for s in chosen])
    card = await changed(uow, contact_id, now)
    await uow.commit()
    return card


@use_case
async def take(uow: UnitOfWork, actor: Member | None, invitation_id: int, now: datetime,
               ttl: timedelta) -> Taken:
    """The first Take wins: a conditional move of the contact from waiting to accepted (and
    of the invitation from pending), then an accepted offer as if offered and answered Yes;
    every other invitee's message says it was taken."""
    actor = require(actor, Role.MULTIPLIER)
    invitation = found(await uow.pool.get(invitation_id), "invitation")
    contact = found(await uow.contacts.get(invitation.contact_id), "contact")
    check_can_take(invitation, actor, contact, await _unfit(uow, actor, contact, now))
    moved = await uow.contacts.transition(
        contact.id, [Status.NEW], Status.ACCEPTED, assignee_id=actor.id, stage_changed_at=now,
        dispatch_note="", auto_dispatch=False)
    if not moved or not await uow.pool.transition(invitation_id, InvitationState.PENDING,
                                                  InvitationState.TAKEN, now):
        await uow.rollback()
        raise lost_race(await uow.pool.get(invitation_id), await uow.contacts.get(contact.id))
    offer = await uow.offers.add(contact.id, actor.id, invitation.opened_by, invitation.days,
                                 now, now + ttl)
    await uow.offers.transition(offer.id, OfferStatus.PENDING, OfferStatus.ACCEPTED,
                                answered_at=now)
    await uow.audit.record(now, invitation.opened_by, "offer", offer.id, "create:pool", None,
                           OfferStatus.PENDING)
    await uow.audit.record(now, actor.id, "offer", offer.id, "accept", "pending", "accepted")
    await uow.audit.record(now, actor.id, "contact", contact.id, "pool_take", Status.NEW,
                           Status.ACCEPTED)
    await close_pool(uow, contact.id, now, actor.id, InvitationState.LOST)
    card = await changed(uow, contact.id, now)
    taken = Taken(found(await uow.offers.get(offer.id), "offer"),
                  found(await uow.contacts.get(contact.id), "contact"), card)
    await uow.commit()
    return taken


async def _unfit(uow: UnitOfWork, member: Member, contact: Contact,
                 now: datetime) -> Exclusion | None:
    """Why the taker no longer passes the hard rules (full since, away, unreachable), if so."""
    candidates = {c.member.id: c for c in await uow.members.multiplier_candidates(now)}
    candidate = candidates.get(member.id)
    if candidate is None:
        return Exclusion.NOT_ACTIVE
    return exclusion(contact.details, candidate, now, await uow.settings.match_policy())


@use_case
async def pass_on(uow: UnitOfWork, actor: Member | None, invitation_id: int,
                  now: datetime) -> InvitationView:
    """"Not me": the presser's invitation closes; the pool stays open for the others."""
    actor = require(actor, Role.MULTIPLIER)
    invitation = found(await uow.pool.get(invitation_id), "invitation")
    check_can_pass(invitation, actor)
    if not await uow.pool.transition(invitation_id, InvitationState.PENDING,
                                     InvitationState.PASSED, now):
        await uow.rollback()
        check_can_pass(found(await uow.pool.get(invitation_id), "invitation"), actor)
        raise NoLongerAvailable("invitation moved on")
    await uow.audit.record(now, actor.id, "pool_invitation", invitation_id, "pass", "pending",
                           "passed")
    await changed(uow, invitation.contact_id, now)
    passed = InvitationView(found(await uow.pool.get(invitation_id), "invitation"),
                            found(await uow.contacts.get(invitation.contact_id), "contact"))
    await uow.commit()
    return passed


async def lapsing(uow: UnitOfWork, now: datetime, ttl: timedelta) -> list[int]:
    """Contacts whose open pool nobody took within an offer's time to answer."""
    return await uow.pool.lapsing(now - ttl)


@use_case
async def lapse(uow: UnitOfWork, contact_id: int, now: datetime, ttl: timedelta) -> bool:
    """The pool ends as an unanswered offer would: its invitations expire (their messages say
    so) and the card offers the pool again. The contact waits for dispatch, where the
    undispatched alarm and the digests keep it in view. False if it moved on meanwhile."""
    if not any(lapsed(i, now, ttl) for i in await uow.pool.for_contact(contact_id)):
        return False
    await close_pool(uow, contact_id, now, None, to=InvitationState.EXPIRED)
    await changed(uow, contact_id, now)
    await uow.commit()
    return True


@use_case
async def withdraw(uow: UnitOfWork, actor: Member | None, contact_id: int,
                   now: datetime) -> CardView:
    """A dispatcher closes the pool by hand: the contact waits for dispatch as before."""
    actor = require(actor, *DISPATCH_ROLES)
    found(await uow.contacts.get(contact_id), "contact")
    if not await close_pool(uow, contact_id, now, actor.id):
        raise NoLongerAvailable("pool not open")
    card = await changed(uow, contact_id, now)
    await uow.commit()
    return card


async def close_pool(uow: UnitOfWork, contact_id: int, now: datetime, actor_id: int | None,
                     to: InvitationState = InvitationState.WITHDRAWN) -> int:
    """Every pending invitation of the contact closes (`to`: lost to a taker, or withdrawn),
    in the caller's transaction: messages already out are edited, queued ones never go.
    Returns how many closed."""
    closed = 0
    for invitation in await uow.pool.for_contact(contact_id):
        if invitation.state is not InvitationState.PENDING or not await uow.pool.transition(
                invitation.id, InvitationState.PENDING, to, now):
            continue
        closed += 1
        await uow.outbox.cancel(Purpose.POOL_INVITE, invitation.id)
        if invitation.dm is not None:
            await edit_closed(uow, invitation.id, invitation.dm, now)
    if closed:
        await uow.audit.record(now, actor_id, "contact", contact_id, "pool_close", None, to)
    return closed


async def leave(uow: UnitOfWork, member_id: int, now: datetime, actor_id: int | None) -> None:
    """A member who left the team or stopped being a multiplier: their invitations are
    withdrawn (the pool stays open for the others), in the caller's transaction."""
    for invitation in await uow.pool.pending_for(member_id):
        if not await uow.pool.transition(invitation.id, InvitationState.PENDING,
                                         InvitationState.WITHDRAWN, now):
            continue
        await uow.outbox.cancel(Purpose.POOL_INVITE, invitation.id)
        if invitation.dm is not None:
            await edit_closed(uow, invitation.id, invitation.dm, now)
        await uow.audit.record(now, actor_id, "pool_invitation", invitation.id, "leaver",
                               "pending", "withdrawn")
        await show(uow, invitation.contact_id, now)


async def edit_closed(uow: UnitOfWork, invitation_id: int, dm: tuple[int, int],
                      now: datetime) -> None:
    """The invitation's Take / Not me stop working and say why (rendered when sent)."""
    await uow.outbox.add(Enqueue(chat_id=dm[0], edit_message_id=dm[1], text="",
                                 purpose=Purpose.POOL_CLOSED, ref_id=invitation_id), now)


@use_case
async def invitation_view(uow: UnitOfWork, invitation_id: int) -> InvitationView | None:
    """What the sender renders an invitation or its closing edit from (None: gone)."""
    invitation = await uow.pool.get(invitation_id)
    contact = await uow.contacts.get(invitation.contact_id) if invitation else None
    await uow.commit()
    if invitation is None or contact is None:
        return None
    return InvitationView(invitation, contact)
