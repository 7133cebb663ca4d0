"""Make contact opens a draft the operator confirms; only Send to dispatch makes the contact.
On real SQLite: the conditional updates that keep a double press or a second operator out."""

import asyncio

import pytest

from domain.conversations import KEEP, UNKNOWN, DraftField, Kind, Triage, TriageAction
from domain.errors import AlreadyDone, InvalidInput, NoLongerAvailable, NotAllowed
from domain.members import Gender
from domain.roles import Role
from services import seekers, triage
from services.seekers import Inbound
from storage.uow import UnitOfWork


async def setup(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        await uow.settings.set("team_chat_id", "-100500")
        oleh = await uow.members.add(301, "Oleh", None, {Role.OPERATOR}, clock.now())
        olga = await uow.members.add(302, "Olga", None, {Role.OPERATOR}, clock.now())
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        got = await seekers.receive(
            uow, Inbound(601, "Ivan", None, Kind.TEXT, "Hi, I live in Obolon", None,
                         language="ru"), 10, clock.now())
    return oleh, olga, got.conversation_id


async def step(factory, fn, *args):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        return await fn(uow, *args)


async def test_the_contact_exists_only_once_confirmed(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    oleh, olga, conv = await setup(session_factory, clock)
    now = clock.now()
    view = await step(session_factory, triage.start_contact, oleh, conv, now)
    assert view.draft.language == "ru" and view.card.conversation.triage is Triage.CLAIMED
    async with UnitOfWork(session_factory) as uow:
        assert await uow.contacts.get(1) is None  # nothing in dispatch yet
    with pytest.raises(AlreadyDone):  # a second Make contact
        await step(session_factory, triage.start_contact, oleh, conv, now)
    with pytest.raises(NotAllowed):  # another operator
        await step(session_factory, triage.pick, olga, conv, DraftField.GENDER, "f", now)
    with pytest.raises(InvalidInput):  # forged: a language nobody offered
        await step(session_factory, triage.pick, oleh, conv, DraftField.LANGUAGE, "xx", now)
    await step(session_factory, triage.pick, oleh, conv, DraftField.GENDER, "f", now)
    await step(session_factory, triage.pick, oleh, conv, DraftField.LANGUAGE, UNKNOWN, now)
    await step(session_factory, triage.pick, oleh, conv, DraftField.AREA, KEEP, now)
    view = await step(session_factory, triage.type_area, oleh, conv, "  Troieshchyna ", now)
    assert view.draft.area == "Troieshchyna"  # no areas list: as typed

    async def send():  # type: ignore[no-untyped-def]
        return await step(session_factory, triage.to_contact, oleh, conv, "Telegram bot", now)

    results = await asyncio.gather(send(), send(), return_exceptions=True)
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) == 1 and isinstance(
        next(r for r in results if isinstance(r, Exception)), NoLongerAvailable)
    async with UnitOfWork(session_factory) as uow:
        contact = await uow.contacts.get(1)
        assert contact is not None and await uow.contacts.get(2) is None
        assert (contact.details.gender, contact.details.language, contact.details.area) == (
            Gender.FEMALE, "", "Troieshchyna")
        stored = await uow.conversations.get(conv)
        assert stored is not None and stored.draft is None and stored.contact_id == 1


async def test_spam_or_read_while_confirming_drops_the_draft(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    oleh, _, conv = await setup(session_factory, clock)
    now = clock.now()
    await step(session_factory, triage.start_contact, oleh, conv, now)
    await step(session_factory, triage.act, oleh, conv, TriageAction.READ, now)
    with pytest.raises(NoLongerAvailable):
        await step(session_factory, triage.to_contact, oleh, conv, "Telegram bot", now)
    async with UnitOfWork(session_factory) as uow:
        stored = await uow.conversations.get(conv)
        assert stored is not None and stored.draft is None and stored.triage is Triage.READ
