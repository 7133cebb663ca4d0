"""API keys, idempotent submissions, import and export over a real, migrated database."""

import asyncio
import json

import pytest
from sqlalchemy import func, select

from domain.api_keys import key_hash, request_hash
from domain.contacts import ContactDetails
from domain.errors import AlreadyDone, DomainError, InvalidInput, NotAllowed
from domain.roles import Role
from services import api_intake, api_keys, export
from services.api_intake import IdempotencyConflict, Post
from storage.models import ApiKeyRow, AuditRow, ContactRow
from storage.engine import create_engine, create_session_factory
from storage.uow import UnitOfWork

MARIA = ContactDetails(name="Maria", phone="+380441234567", source="api:webform")


async def submit(uow, key, owner, post: Post, now):  # type: ignore[no-untyped-def]
    """One post on its own, its refusal raised."""
    [answer] = await api_intake.submit_many(uow, key, owner, [post], now)
    if isinstance(answer, DomainError):
        raise answer
    return answer


async def admins(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
        oper = await uow.members.add(2, "Oleh", None, {Role.OPERATOR}, clock.now())
        await uow.commit()
    return boss, oper


async def new_key(factory, clock, boss, name="webform"):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        secret = await api_keys.create(uow, boss, name, clock.now())
    async with UnitOfWork(factory) as uow:
        found = await api_keys.authenticate(uow, secret)
    assert found is not None
    return secret, found[0], found[1]


async def count(factory, model) -> int:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        return await uow.session.scalar(select(func.count()).select_from(model))


async def test_a_key_is_stored_only_as_its_hash_and_shown_once(session_factory, clock) -> None:
    boss, _ = await admins(session_factory, clock)
    secret, key, owner = await new_key(session_factory, clock, boss)
    assert secret.startswith("dk_") and len(secret) > 40
    assert owner is not None and owner.id == boss.id and key.name == "webform"
    async with UnitOfWork(session_factory) as uow:
        stored = await uow.session.scalar(select(ApiKeyRow.key_hash))
        audit = [(a.action, a.after) for a in await uow.audit.for_entity("api_key", key.id)]
    assert stored == key_hash(secret) and secret not in stored
    assert audit == [("create", '{"name": "webform"}')]


async def test_unknown_revoked_and_duplicate_keys(session_factory, clock) -> None:
    boss, oper = await admins(session_factory, clock)
    secret, _, _ = await new_key(session_factory, clock, boss)
    async with UnitOfWork(session_factory) as uow:
        assert await api_keys.authenticate(uow, secret + "x") is None
        assert await api_keys.authenticate(uow, "") is None
        with pytest.raises(AlreadyDone):
            await api_keys.create(uow, boss, "webform", clock.now())
        with pytest.raises(InvalidInput):
            await api_keys.create(uow, boss, "no spaces", clock.now())
        with pytest.raises(NotAllowed):
            await api_keys.create(uow, oper, "crm", clock.now())
        await api_keys.revoke(uow, boss, "webform", clock.now())
        with pytest.raises(AlreadyDone):
            await api_keys.revoke(uow, boss, "webform", clock.now())
        assert await api_keys.authenticate(uow, secret) is None
        assert [k.active for k in await api_keys.list_keys(uow, boss)] == [False]


async def test_an_owner_who_lost_the_admin_role_cannot_enter_contacts(session_factory, clock) -> None:
    boss, _ = await admins(session_factory, clock)
    _, key, owner = await new_key(session_factory, clock, boss)
    async with UnitOfWork(session_factory) as uow:
        await uow.members.set_roles(boss.id, {Role.MULTIPLIER})
        await uow.commit()
        owner = await uow.members.get(boss.id)
        with pytest.raises(NotAllowed):
            await submit(uow, key, owner, Post(MARIA, "k1", "h"), clock.now())
    assert await count(session_factory, ContactRow) == 0


async def test_idempotency_replays_and_refuses_another_body(session_factory, clock) -> None:
    boss, _ = await admins(session_factory, clock)
    _, key, owner = await new_key(session_factory, clock, boss)
    body = request_hash(b'{"name": "Maria"}')
    async with UnitOfWork(session_factory) as uow:
        first = await submit(uow, key, owner, Post(MARIA, "k1", body), clock.now())
        again = await submit(uow, key, owner, Post(MARIA, "k1", body), clock.now())
        with pytest.raises(IdempotencyConflict) as conflict:
            await submit(uow, key, owner, Post(MARIA, "k1", "other"), clock.now())
        other_key = await submit(uow, key, owner, Post(MARIA, "k2", body), clock.now())
        unkeyed = await submit(uow, key, owner, Post(MARIA, None, body), clock.now())
    assert (first.status, again.status) == (201, 200)
    assert again.body == first.body and again.result is None
    assert first.body == {"id": 1, "status": "new", "source": "api:webform"}
    assert conflict.value.detail == "mismatch"
    # the same seeker again, under another key or none: attached to #1, not a second contact
    assert (other_key.status, other_key.body) == (200, {"attached": True})
    assert (unkeyed.status, unkeyed.body) == (200, {"attached": True})
    assert await count(session_factory, ContactRow) == 1


async def test_concurrent_requests_with_one_key_create_one_contact(session_factory, clock) -> None:
    boss, _ = await admins(session_factory, clock)
    _, key, owner = await new_key(session_factory, clock, boss)

    async def once():  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            try:
                post = Post(MARIA, "same", "h")
                return (await submit(uow, key, owner, post, clock.now())).status
            except IdempotencyConflict as exc:
                return exc.detail

    results = await asyncio.gather(*(once() for _ in range(10)))
    assert results.count(201) == 1
    assert set(results) <= {201, 200, "in_flight"}
    assert await count(session_factory, ContactRow) == 1


async def test_exports_are_admin_only_and_recorded(session_factory, clock) -> None:
    boss, oper = await admins(session_factory, clock)
    _, key, owner = await new_key(session_factory, clock, boss)
    async with UnitOfWork(session_factory) as uow:
        await submit(uow, key, owner, Post(MARIA, None, "h"), clock.now())
        rows = await export.contacts(uow, boss, None, clock.now())
        with pytest.raises(NotAllowed):
            await export.audit(uow, oper, None, clock.now())
        audit_rows = await export.audit(uow, boss, None, clock.now())
        later = await export.contacts(uow, boss, clock.now().replace(year=2027), clock.now())
    assert [(r[0], r[3], r[4], r[10]) for r in rows] == [(1, "Maria", "+380441234567", "api:webform")]
    assert later == []
    assert [r[5] for r in audit_rows] == ["create", "create", "contacts"]
    async with UnitOfWork(session_factory) as uow:
        recorded = await uow.session.scalars(select(AuditRow).where(AuditRow.entity == "export").order_by(AuditRow.id))
        assert [(r.action, json.loads(r.after)["rows"]) for r in recorded] == [
            ("contacts", 1), ("audit", 3), ("contacts", 0)]


async def test_a_key_of_an_admin_demoted_to_operator_no_longer_enters_contacts(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _ = await admins(session_factory, clock)
    secret, key, _ = await new_key(session_factory, clock, boss)
    async with UnitOfWork(session_factory) as uow:
        await uow.members.set_roles(boss.id, {Role.OPERATOR})
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        found = await api_keys.authenticate(uow, secret)
    assert found is not None and found[1] is None  # the key is known, its owner speaks no more
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NotAllowed):
            await submit(uow, key, found[1], Post(MARIA, None, "h"), clock.now())
    assert await count(session_factory, ContactRow) == 0


async def test_a_key_revoked_by_another_replica_is_refused_at_once(session_factory, db_url, clock) -> None:  # type: ignore[no-untyped-def]
    """Keys are kept in memory behind the team's stamp: a revocation committed through
    another engine (another replica) is seen by the next request, not served from memory."""
    boss, _ = await admins(session_factory, clock)
    secret, _, _ = await new_key(session_factory, clock, boss)
    other = create_engine(db_url)
    try:
        async with UnitOfWork(create_session_factory(other)) as uow:
            await api_keys.revoke(uow, boss, "webform", clock.now())
    finally:
        await other.dispose()
    async with UnitOfWork(session_factory) as uow:
        assert await api_keys.authenticate(uow, secret) is None
    async with UnitOfWork(session_factory) as uow:  # and a new key is known at once
        fresh = await api_keys.create(uow, boss, "crm", clock.now())
    async with UnitOfWork(session_factory) as uow:
        found = await api_keys.authenticate(uow, fresh)
    assert found is not None and found[0].name == "crm"
