"""A reopened request gets a new triage card even when the post of its old card is
delivered late, after the reopening (a clean-clone CI run saw the new request drawn over the
old card: the old post's delivery pointed the reset card back at the old message)."""

from datetime import timedelta

from domain.conversations import Kind, TriageAction
from domain.delivery import Purpose
from domain.roles import Role
from services import delivery, seekers, triage
from services.seekers import Inbound
from storage.uow import UnitOfWork

TEAM_CHAT = -100500


async def claimed_row(factory, clock):  # type: ignore[no-untyped-def]
    """The triage row due now, claimed by the sender (in flight)."""
    async with UnitOfWork(factory) as uow:
        [row] = [r for r in await uow.outbox.due(clock.now(), 10, 10, "test")
                 if r.purpose == Purpose.TRIAGE]
        assert await uow.outbox.claim([row], "test", clock.now(), clock.now() + timedelta(minutes=5))
        await uow.commit()
    return row


async def write_in(factory, clock, text: str) -> int:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        got = await seekers.receive(uow, Inbound(601, "Ivan", None, Kind.TEXT, text, None),
                                    10, clock.now())
    return got.conversation_id


async def card_of(factory, conversation_id: int):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        conv = await uow.conversations.get(conversation_id)
    assert conv is not None
    return conv.card


async def test_a_late_post_of_the_old_card_does_not_take_the_new_ones_place(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(session_factory) as uow:
        await uow.settings.set("team_chat_id", str(TEAM_CHAT))
        oleh = await uow.members.add(301, "Oleh", None, {Role.OPERATOR}, clock.now())
        await uow.commit()
    conv = await write_in(session_factory, clock, "Just saying thanks")
    first_post = await claimed_row(session_factory, clock)  # posted, its delivery not saved yet
    async with UnitOfWork(session_factory) as uow:
        await triage.act(uow, oleh, conv, TriageAction.READ, clock.now())
    await write_in(session_factory, clock, "Actually, can someone call me?")  # reopens
    fresh_post = await claimed_row(session_factory, clock)
    assert fresh_post.id != first_post.id

    async with UnitOfWork(session_factory) as uow:
        await delivery.delivered(uow, first_post, 4, clock.now())  # the old card, late
    assert await card_of(session_factory, conv) is None
    async with UnitOfWork(session_factory) as uow:
        await delivery.delivered(uow, fresh_post, 7, clock.now())
    assert await card_of(session_factory, conv) == (TEAM_CHAT, 7)
