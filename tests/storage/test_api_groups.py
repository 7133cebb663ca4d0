"""POSTs stored in groups (services.api_intake.submit_many, as api.post_groups calls it)
store exactly what the same POSTs stored one at a time store: contacts under the same ids,
suspects, touches, audit rows, queued messages, batches and stored answers, and each post
gets the same answer. And when another request stored one of a group's Idempotency-Keys
meanwhile, the group is redone post by post and answers that request's answer."""

import asyncio
import random

from sqlalchemy import text

from domain.contacts import ContactDetails
from domain.errors import DomainError
from domain.roles import Role
from services import api_intake, api_keys
from services.api_intake import Outcome, Post
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.repositories.api_keys import IdempotencyRepository
from storage.uow import UnitOfWork
from tests.conftest import fresh_database
from tests.storage.test_import_together import (AREAS, COMPARED, FAMILY, GIVEN, compared,
                                                counted_together, stored_before)

GROUP = 8
TABLES = (*COMPARED, "idempotency_keys")


def posts(seed: int, n: int) -> list[Post]:
    """Namesakes, repeated phones, e-mail-only seekers, a post nobody can be reached by, and
    Idempotency-Keys: most new, some a retry of an earlier post (the same body) and some an
    earlier key with another body."""
    rnd = random.Random(seed)
    out: list[Post] = []
    for i in range(n):
        roll = rnd.random()
        if roll < 0.1 and out:
            earlier = rnd.choice(out[:max(1, len(out) - GROUP)])  # not in its own group
            body = earlier.body_hash if rnd.random() < 0.6 else f"other {i}"
            out.append(Post(earlier.details, earlier.idempotency_key, body))
            continue
        phone = f"+38044{1000000 + rnd.randrange(i + 1):07d}" if roll < 0.25 else \
            f"+38067{1000000 + i:07d}"
        details = ContactDetails(f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}".strip() or "Anna",
                                 phone=phone if roll < 0.85 else None,
                                 email=f"seeker{i}@example.com" if 0.8 <= roll < 0.97 else None,
                                 area=rnd.choice(AREAS), source="api:webform")
        key = f"key-{i}" if rnd.random() < 0.8 else None
        out.append(Post(details, key, f"body {i}"))
    return out


async def webform_key(factory, clock):  # type: ignore[no-untyped-def]
    """An admin's API key "webform", and its owner."""
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN}, clock.now())
        await uow.commit()
        secret = await api_keys.create(uow, boss, "webform", clock.now())
        return await api_keys.authenticate(uow, secret)


def shown(answer: Outcome | DomainError) -> object:
    if isinstance(answer, DomainError):
        return type(answer).__name__, answer.detail
    return answer.status, answer.body


async def post_into(url: str, clock, all_posts: list[Post], size: int):  # type: ignore[no-untyped-def]
    """The posts stored `size` at a time into a fresh database, all in one minute (the
    first ten posts' cards shown, then the minute a burst): their answers and every
    compared table."""
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    try:
        key, owner = await webform_key(factory, clock)
        await stored_before(factory, clock, owner)
        answers = []
        for start in range(0, len(all_posts), size):
            async with UnitOfWork(factory) as uow:
                answers += await api_intake.submit_many(uow, key, owner,
                                                        all_posts[start:start + size], clock.now())
        return [shown(a) for a in answers], await compared(engine, TABLES)
    finally:
        await engine.dispose()


async def test_posts_stored_in_groups_store_what_posts_one_at_a_time_store(
        tmp_path, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sent, together = posts(5, 160), counted_together(monkeypatch)
    async with fresh_database(tmp_path) as url:
        grouped, tables = await post_into(url, clock, sent, GROUP)
    assert len(together) > 60  # the minute became a burst: new contacts admitted together
    async with fresh_database(tmp_path) as url:
        alone, expected = await post_into(url, clock, sent, 1)
    statuses = [a[0] for a in alone]
    assert statuses.count(201) > 100 and statuses.count(200) > 5  # new, replayed, attached
    assert ("IdempotencyConflict", "mismatch") in alone and ("InvalidInput", "reach") in alone
    assert grouped == alone
    for name in TABLES:
        assert tables[name] == expected[name], name


async def test_a_key_answered_meanwhile_redoes_the_group_post_by_post(
        session_factory, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    key, owner = await webform_key(session_factory, clock)
    maria = Post(ContactDetails("Maria", phone="+380441234567", source="api:webform"), "k1", "h")
    async with UnitOfWork(session_factory) as uow:
        [first] = await api_intake.submit_many(uow, key, owner, [maria], clock.now())
    answers_of = IdempotencyRepository.answers
    calls = []

    async def not_yet_there(self, api_key_id, keys):  # type: ignore[no-untyped-def]
        calls.append(keys)  # the first read runs before the other request stored its answer
        return {} if len(calls) == 1 else await answers_of(self, api_key_id, keys)

    monkeypatch.setattr(IdempotencyRepository, "answers", not_yet_there)
    olena = Post(ContactDetails("Olena", phone="+380441234599", source="api:webform"), "k2", "h2")
    async with UnitOfWork(session_factory) as uow:
        again, other = await api_intake.submit_many(uow, key, owner, [maria, olena], clock.now())
    assert (first.status, again.status, other.status) == (201, 200, 201)
    assert again.body == first.body and len(calls) == 3  # the group, then each post alone
    async with UnitOfWork(session_factory) as uow:
        names = await uow.session.execute(text("SELECT name FROM contacts ORDER BY id"))
        assert [n for (n,) in names] == ["Maria", "Olena"]


async def test_one_key_twice_in_a_group_is_stored_once(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    key, owner = await webform_key(session_factory, clock)
    maria = Post(ContactDetails("Maria", phone="+380441234567", source="api:webform"), "k1", "h")
    async with UnitOfWork(session_factory) as uow:
        first, second = await api_intake.submit_many(uow, key, owner, [maria, maria], clock.now())
    assert first.status == 201 and shown(second) == ("IdempotencyConflict", "in_flight")
    async with UnitOfWork(session_factory) as uow:  # the client's retry gets the answer
        [retry] = await api_intake.submit_many(uow, key, owner, [maria], clock.now())
        assert retry.body == first.body
        assert await uow.session.scalar(text("SELECT count(*) FROM contacts")) == 1
