"""POST /api/v1/contacts: authenticate, limit, validate every field, create once, announce."""

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from api import problems
from api.bodies import read_limited
from api.limits import Limits
from api.post_groups import PostGroups
from domain.api_keys import ApiKey, request_hash
from domain.contact_fields import FieldError, check_contact, with_source
from domain.errors import DomainError, NotAllowed
from domain.members import Member
from scheduler.context import JobContext
from services import api_keys
from services.api_intake import IdempotencyConflict, Post
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_IDEMPOTENCY_KEY = 200


@dataclass
class ApiDeps:
    """What the API needs from the running bot (built once in bot.app.run)."""

    ctx: JobContext
    limits: Limits
    posts: PostGroups = field(init=False)

    def __post_init__(self) -> None:
        self.posts = PostGroups(self.ctx)


API = web.AppKey("api", ApiDeps)


def _errors(status: int, *errors: FieldError | tuple[str, str], **headers: str) -> web.Response:
    items = [{"field": e.field, "code": e.code, "message": problems.message(e.code)}
             if isinstance(e, FieldError) else {"field": e[0], "message": e[1]} for e in errors]
    return web.json_response({"errors": items}, status=status, headers=headers)


def _secret(request: web.Request) -> str:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("X-API-Key", "").strip()


async def create_contact(request: web.Request) -> web.Response:
    deps = request.app[API]
    ctx, settings = deps.ctx, deps.ctx.settings
    async with UnitOfWork(ctx.session_factory) as uow, uow.reading(inline=True):  # beside the writer
        found = await api_keys.authenticate(uow, _secret(request))
    if found is None:
        return _errors(401, ("authorization", "missing, unknown or revoked API key"),
                       **{"WWW-Authenticate": "Bearer"})
    key, owner = found
    wait = await deps.limits.take(key.id)
    if wait is not None:
        return _errors(429, ("request", "too many requests for this key"),
                       **{"Retry-After": str(wait)})
    if not _is_json(request.content_type):
        return _errors(415, ("Content-Type", "must be application/json"))
    raw = await read_limited(request, settings.api_max_body_bytes)
    if raw is None:
        return _errors(413, ("body", f"larger than {settings.api_max_body_bytes} bytes"))
    idempotency_key = request.headers.get("Idempotency-Key")
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        return _errors(422, ("Idempotency-Key", f"must be 1-{MAX_IDEMPOTENCY_KEY} characters"))
    data = _json_object(raw)
    if isinstance(data, web.Response):
        return data
    checked = check_contact(data, settings.phone_region)
    if checked.details is None:
        return _errors(422, *checked.errors)
    details = with_source(checked.details, f"api:{key.name}")
    return await _submit(deps, key, owner, Post(details, idempotency_key, request_hash(raw)))


def _is_json(content_type: str) -> bool:
    """application/json or a +json type; a form or text/plain body is not what we document."""
    return content_type == "application/json" or content_type.endswith("+json")


def _json_object(raw: bytes) -> dict[str, Any] | web.Response:
    try:
        data = json.loads(raw or b"null")
    except RecursionError:  # json's parser recurses per level; the body is one flat object
        return _errors(400, ("body", "nested too deeply (send one flat JSON object)"))
    except (ValueError, UnicodeDecodeError):
        return _errors(400, ("body", "not valid JSON"))
    if not _is_unicode(data):
        return _errors(400, ("body", "not valid Unicode (a lone surrogate escape such as \\ud800)"))
    if not isinstance(data, dict):
        return _errors(422, ("body", "must be a JSON object"))
    return data


def _is_unicode(data: object) -> bool:
    """JSON lets a string escape half a surrogate pair ("\\ud800"); such a string cannot be
    stored or shown, so it is refused here rather than failing in the database."""
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


async def _submit(deps: ApiDeps, key: ApiKey, owner: Member | None, post: Post) -> web.Response:
    answer = await deps.posts.submit(key, owner, post)
    if isinstance(answer, IdempotencyConflict):
        if answer.detail == "mismatch":
            return _errors(422, ("Idempotency-Key", "already used with a different request"))
        return _errors(409, ("Idempotency-Key", "a request with this key is in progress"))
    if isinstance(answer, NotAllowed):
        return _errors(403, ("authorization", "the key's owner may no longer enter contacts"))
    if isinstance(answer, DomainError):
        return _errors(422, ("contact", answer.detail or answer.code))
    if answer.result is not None:
        log.info("api contact", extra={"contact_id": answer.result.contact.id, "key": key.name,
                                       "new_contact": answer.result.created})
    headers = {"Idempotent-Replayed": "true"} if answer.status == 200 else {}
    return web.json_response(answer.body, status=answer.status, headers=headers)
