"""A seeker's words meant for the operator who claimed their request (review findings):
they leave the team's triage card only once delivered, come back to it if they cannot be
delivered, and an operator's answer before dispatch starts no "no answer" clock."""

from domain.conversations import Direction, Kind, TriageAction
from domain.delivery import Purpose
from domain.roles import Role
from services import delivery, relay, seekers, triage
from services.seekers import Inbound
from storage.uow import UnitOfWork

TEAM_CHAT = -100500


async def claimed_request(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        await uow.settings.set("team_chat_id", str(TEAM_CHAT))
        oleh = await uow.members.add(301, "Oleh", None, {Role.OPERATOR}, clock.now())
        await uow.commit()
    conv = await write_in(factory, clock, "Hello, I saw your ad")
    async with UnitOfWork(factory) as uow:
        await triage.act(uow, oleh, conv, TriageAction.CLAIM, clock.now())
    return oleh, conv


async def write_in(factory, clock, text: str) -> int:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        got = await seekers.receive(uow, Inbound(601, "Ivan", None, Kind.TEXT, text, None),
                                    10, clock.now())
    return got.conversation_id


async def relay_row(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        [row] = [r for r in await uow.outbox.due(clock.now(), 50, 50, "test")
                 if r.purpose == Purpose.RELAY_IN]
    return row


async def team_sees(factory, conv: int) -> list[str | None]:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        return [m.text for m in await uow.conversations.messages(conv, team_only=True)]


async def test_words_the_claimer_cannot_get_go_back_to_the_team(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    _, conv = await claimed_request(session_factory, clock)
    await write_in(session_factory, clock, "Can someone call me?")
    row = await relay_row(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:  # rendered for the claimer when sent
        assert await relay.stored_piece(uow, row.ref_id, row.member_id, clock.now())
    assert "Can someone call me?" in await team_sees(session_factory, conv)  # not yet sent
    async with UnitOfWork(session_factory) as uow:
        await delivery.undeliverable(uow, row, "Forbidden: bot was blocked by the user",
                                     clock.now(), unreachable=True)
    assert "Can someone call me?" in await team_sees(session_factory, conv)
    async with UnitOfWork(session_factory) as uow:
        assert await uow.outbox.queued(Purpose.TRIAGE, conv)  # the card is redrawn


async def test_delivered_words_leave_the_team_card(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    _, conv = await claimed_request(session_factory, clock)
    await write_in(session_factory, clock, "Can someone call me?")
    row = await relay_row(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        await delivery.delivered(uow, row, 41, clock.now())
    assert "Can someone call me?" not in await team_sees(session_factory, conv)


async def test_an_operators_answer_before_dispatch_starts_no_clock(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    oleh, conv_id = await claimed_request(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:
        conv = await uow.conversations.get(conv_id)
    async with UnitOfWork(session_factory) as uow:
        await relay.record_out(uow, oleh, conv, Kind.TEXT, "Where do you live?",
                               None, "Where do you live?", clock.now())
    async with UnitOfWork(session_factory) as uow:
        after = await uow.conversations.get(conv_id)
        out = [m for m in await uow.conversations.messages(conv_id)
               if m.direction is Direction.OUT]
    assert after.first_out_at is None and after.last_out_at is not None
    assert [m.text for m in out] == ["Where do you live?"]
