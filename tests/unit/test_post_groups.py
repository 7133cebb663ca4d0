"""POSTs that arrive while a group is being stored go together in the next one; each is
answered with its own answer; a group the database refuses is tried post by post, so only
the post that fails gets the error."""

import asyncio
import contextlib
from types import SimpleNamespace

import pytest

from api import post_groups
from api.post_groups import PostGroups
from domain.api_keys import ApiKey
from domain.contacts import ContactDetails
from services.api_intake import IdempotencyConflict, Outcome, Post
from tests.conftest import FakeClock

KEY = ApiKey(id=1, name="webform", created_by=1, created_at=FakeClock().now())


@contextlib.asynccontextmanager
async def no_uow():  # type: ignore[no-untyped-def]
    yield None


@pytest.fixture
def groups(monkeypatch):  # type: ignore[no-untyped-def]
    """PostGroups over a stand-in for api_intake.submit_many that takes a while (so posts
    queue meanwhile), answers each post with its own hash, refuses "taken" and fails any
    group holding a "boom"."""
    sizes: list[int] = []

    async def submit_many(uow, key, owner, posts, now, quiet=None, compose_touch=None):  # type: ignore[no-untyped-def]
        sizes.append(len(posts))
        await asyncio.sleep(0.05)
        if any(p.body_hash == "boom" for p in posts):
            raise RuntimeError("the database failed")
        return [IdempotencyConflict("mismatch") if p.body_hash == "taken"
                else Outcome(201, {"hash": p.body_hash}, None) for p in posts]

    monkeypatch.setattr(post_groups.api_intake, "submit_many", submit_many)
    ctx = SimpleNamespace(uow=no_uow, texts=contextlib.nullcontext, clock=FakeClock(), quiet=None)
    made = PostGroups(ctx, most=3)  # type: ignore[arg-type]
    made.sizes = sizes  # type: ignore[attr-defined]
    return made


def post(body_hash: str) -> Post:
    return Post(ContactDetails("Maria", phone="+380441234567"), None, body_hash)


async def test_posts_that_wait_go_together_and_each_gets_its_own_answer(groups) -> None:  # type: ignore[no-untyped-def]
    answers = await asyncio.gather(*(groups.submit(KEY, None, post(f"h{n}")) for n in range(8)))
    assert [a.body["hash"] for a in answers] == [f"h{n}" for n in range(8)]
    assert groups.sizes == [3, 3, 2]  # at most three a group
    refused = await asyncio.gather(groups.submit(KEY, None, post("ok")),
                                   groups.submit(KEY, None, post("taken")))
    assert isinstance(refused[1], IdempotencyConflict) and refused[0].body == {"hash": "ok"}


async def test_a_group_that_fails_is_tried_post_by_post(groups) -> None:  # type: ignore[no-untyped-def]
    answers = await asyncio.gather(*(groups.submit(KEY, None, post(h))
                                     for h in ("first", "a", "boom", "b")),
                                   return_exceptions=True)
    assert [a.body["hash"] for a in (answers[0], answers[1], answers[3])] == ["first", "a", "b"]
    assert isinstance(answers[2], RuntimeError)
    assert groups.sizes == [3, 1, 1, 1, 1]  # b waited for the group


async def test_a_client_that_went_away_leaves_the_others_answered(groups) -> None:  # type: ignore[no-untyped-def]
    first = asyncio.create_task(groups.submit(KEY, None, post("first")))
    await asyncio.sleep(0)
    gone = asyncio.create_task(groups.submit(KEY, None, post("gone")))
    stays = asyncio.create_task(groups.submit(KEY, None, post("stays")))
    await asyncio.sleep(0.01)
    gone.cancel()
    assert (await first).body == {"hash": "first"} and (await stays).body == {"hash": "stays"}
    assert gone.cancelled() and groups.sizes == [1, 2]
    assert not groups._workers and not groups._waiting
