"""Admins create, list and revoke the keys other systems use to post contacts."""

import secrets
from datetime import datetime

from domain.api_keys import PREFIX, ApiKey, key_hash, parse_key_name
from domain.errors import AlreadyDone, NotFound
from domain.members import Member
from domain.roles import Role
from services.access import require
from services.ports import UnitOfWork
from services.transaction import use_case


@use_case
async def create(uow: UnitOfWork, actor: Member | None, name: str, now: datetime) -> str:
    """The secret, to show once: only its hash is stored."""
    actor = require(actor, Role.ADMIN)
    name = parse_key_name(name)
    if await uow.api_keys.by_name(name):
        raise AlreadyDone("key_exists")
    secret = PREFIX + secrets.token_urlsafe(32)
    key = await uow.api_keys.add(name, key_hash(secret), actor.id, now)
    await uow.audit.record(now, actor.id, "api_key", key.id, "create", None, {"name": name})
    await uow.commit()
    return secret


@use_case
async def list_keys(uow: UnitOfWork, actor: Member | None) -> list[ApiKey]:
    require(actor, Role.ADMIN)
    keys = await uow.api_keys.list_all()
    await uow.commit()
    return keys


@use_case
async def revoke(uow: UnitOfWork, actor: Member | None, name: str, now: datetime) -> ApiKey:
    actor = require(actor, Role.ADMIN)
    key = await uow.api_keys.by_name(name.strip())
    if key is None:
        raise NotFound("api_key")
    if not await uow.api_keys.revoke(key.id, now):
        raise AlreadyDone("revoked")
    await uow.audit.record(now, actor.id, "api_key", key.id, "revoke", {"name": key.name}, None)
    await uow.commit()
    return key


@use_case
async def authenticate(uow: UnitOfWork, secret: str) -> tuple[ApiKey, Member | None] | None:
    """The active key and its owner (None when they are no longer an active admin: a key
    speaks for the admin who made it, and only while they are one)."""
    key = await uow.api_keys.by_hash(key_hash(secret)) if secret else None
    owner = await uow.members.get(key.created_by) if key and key.active else None
    await uow.commit()
    if key is None or not key.active:
        return None
    return key, owner if owner and owner.has(Role.ADMIN) else None
