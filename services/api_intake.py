"""A contact posted over HTTP: the idempotency key is honoured, then the ordinary intake.

The idempotency row is claimed, the contact created and the answer stored in one
transaction, so a contact never exists without its key and its answer, nor a key without
its contact. Two requests racing with one key: the database lets one claim it, the other
is told the request is in progress.

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
from services import intake
from services.card_queue import Arrival
from services.notify import Quiet
from services.ports import UnitOfWork
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


@use_case
async def submit(uow: UnitOfWork, key: ApiKey, owner: Member | None, details: ContactDetails,
                 idempotency_key: str | None, body_hash: str, now: datetime,
                 compose_touch: intake.ComposeTouch | None = None,
                 quiet: Quiet | None = None) -> Outcome:
    if idempotency_key:
        earlier = await _earlier(uow, key, idempotency_key, body_hash)
        if earlier:
            return earlier
        try:
            await uow.idempotency.claim(key.id, idempotency_key, body_hash, now)
        except IdempotencyKeyTaken:
            await uow.rollback()
            earlier = await _earlier(uow, key, idempotency_key, body_hash)
            if earlier is None:  # claimed and gone again: cannot be, but never guess
                raise IdempotencyConflict("in_flight") from None
            return earlier
    result = await intake.admit(uow, owner, details, now, compose_touch=compose_touch,
                                quiet=quiet, arrival=Arrival(channel_of(details.source)))
    contact = result.contact
    if result.created:
        body = {"id": contact.id, "status": str(contact.status), "source": contact.details.source}
    else:  # known already: say only that, not where they came from or how far they got
        body = {"attached": True}
    status = 201 if result.created else 200
    if idempotency_key:
        await uow.idempotency.complete(key.id, idempotency_key, status, json.dumps(body))
    await uow.commit()
    return Outcome(status, body, result)


async def _earlier(uow: UnitOfWork, key: ApiKey, idempotency_key: str,
                   body_hash: str) -> Outcome | None:
    row = await uow.idempotency.get(key.id, idempotency_key)
    if row is None:
        return None
    await uow.commit()
    if row.request_hash != body_hash:
        raise IdempotencyConflict("mismatch")
    if row.response is None:
        raise IdempotencyConflict("in_flight")
    return Outcome(200, json.loads(row.response), None)
