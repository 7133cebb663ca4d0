"""A contact posted over HTTP: the idempotency key is honoured, then the ordinary intake.

The contact is created and its answer stored under the Idempotency-Key in one transaction,
so a contact never exists without its key and its answer, nor a key without its contact.
Two requests racing with one key: the database keeps one answer (the key is a primary
key); the other is rolled back and answers what the first stored. Two posts with one key in
one group (api.post_groups): the second is told the first is in progress.

Each contact posted counts into its key's arrival batch (the key's channel, "api:<name>"):
a client cannot say how many more will follow, so a burst is noticed as it happens. The
eleventh within a minute of the first makes the minute a burst: from then on cards are held
and the team chat gets one summary at the end of the minute (services.card_queue)."""

import json
from dataclasses import dataclass
from datetime import datetime

from domain.api_keys import ApiKey, IdempotencyKeyTaken
from domain.bursts import channel_of
from domain.contacts import ContactDetails
from domain.errors import DomainError
from domain.members import Member
from services import bulk_intake, card_queue, intake
from services.card_queue import Arrival
from services.notify import NO_QUIET, Quiet
from services.ports import IdempotencyRecord, UnitOfWork
from services.transaction import use_case


class IdempotencyConflict(DomainError):
    """The key was used with another body (`code` "mismatch") or is still in flight."""

    code = "idempotency"


@dataclass(frozen=True)
class Outcome:
    """201: a new contact. 200: a seeker we already had (attached as a touch), or a replay
    of an earlier answer (then `result` is None)."""

    status: int
    body: dict
    result: intake.IntakeResult | None


@dataclass(frozen=True)
class Post:
    """One POST's contact, its Idempotency-Key (if sent) and the hash of its body."""

    details: ContactDetails
    idempotency_key: str | None
    body_hash: str


@use_case
async def submit_many(uow: UnitOfWork, key: ApiKey, owner: Member | None, posts: list[Post],
                      now: datetime, compose_touch: intake.ComposeTouch | None = None,
                      quiet: Quiet | None = None) -> list[Outcome | DomainError]:
    """The posts of one key, in their order, as if each were the only one, committed at once
    (several clients' POSTs that arrived together: api.post_groups). A refused post, its
    DomainError in the list, undoes no other and stores no answer for its key. Raises if the
    database fails: then nothing of them is stored."""
    try:
        return await _submit_all(uow, key, owner, posts, now, compose_touch, quiet)
    except IdempotencyKeyTaken:  # another transaction answered one of the keys meanwhile
        await uow.rollback()
    if len(posts) > 1:
        return [(await submit_many(uow, key, owner, [post], now, compose_touch, quiet))[0]
                for post in posts]
    stored = await uow.idempotency.answers(key.id, [posts[0].idempotency_key or ""])
    return [_earlier(stored, posts[0], set()) or IdempotencyConflict("in_flight")]


async def _submit_all(uow: UnitOfWork, key: ApiKey, owner: Member | None, posts: list[Post],
                      now: datetime, compose_touch: intake.ComposeTouch | None,
                      quiet: Quiet | None) -> list[Outcome | DomainError]:
    stored = await uow.idempotency.answers(key.id, [p.idempotency_key for p in posts
                                                    if p.idempotency_key])
    in_hand: set[str] = set()
    answers = [_earlier(stored, post, in_hand) for post in posts]
    fresh = [i for i, answer in enumerate(answers) if answer is None]
    if fresh:
        arrival = await _arrival(uow, posts[fresh[0]].details.source, now)
        results = await bulk_intake.admit_rows(
            uow, owner, [posts[i].details for i in fresh], now, arrival, quiet=quiet or NO_QUIET,
            compose_touch=compose_touch, ping=True)
        for i, result in zip(fresh, results):
            answers[i] = _answer(result)
    await uow.idempotency.answered(key.id, [
        (post.idempotency_key, post.body_hash, answer.status, json.dumps(answer.body))
        for post, answer in zip(posts, answers)
        if post.idempotency_key and isinstance(answer, Outcome) and answer.result is not None
    ], now)
    await uow.commit()
    return [answer for answer in answers if answer is not None]


async def _arrival(uow: UnitOfWork, source: str, now: datetime) -> Arrival:
    """The key's channel; with its batch once its minute is a burst (then the new contacts
    among the posts can be admitted together). Outside a burst each post reads the window
    itself, as the post that makes the minute a burst holds the earlier cards."""
    arrival = await card_queue.in_window(uow, Arrival(channel_of(source)), now)
    return arrival if arrival.hold else Arrival(arrival.channel)


def _earlier(stored: dict[str, IdempotencyRecord], post: Post,
             in_hand: set[str]) -> Outcome | DomainError | None:
    """The answer an earlier request with this post's Idempotency-Key got; a refusal if that
    request had another body, or is the one before it in this group; None: admit the post."""
    if not post.idempotency_key:
        return None
    row = stored.get(post.idempotency_key)
    if row is None:
        if post.idempotency_key in in_hand:
            return IdempotencyConflict("in_flight")
        in_hand.add(post.idempotency_key)
        return None
    if row.request_hash != post.body_hash:
        return IdempotencyConflict("mismatch")
    if row.response is None:
        return IdempotencyConflict("in_flight")
    return Outcome(200, json.loads(row.response), None)


def _answer(result: intake.IntakeResult | DomainError) -> Outcome | DomainError:
    if isinstance(result, DomainError):
        return result
    contact = result.contact
    if result.created:
        body = {"id": contact.id, "status": str(contact.status), "source": contact.details.source}
    else:  # known already: say only that, not where they came from or how far they got
        body = {"attached": True}
    return Outcome(201 if result.created else 200, body, result)
