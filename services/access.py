"""Role checks inside use cases: handlers filter too, but a forged press must still be refused."""

from typing import TypeVar

from domain.errors import NotAllowed, NotFound
from domain.members import Member
from domain.roles import Role


def require(actor: Member | None, *roles: Role) -> Member:
    if actor is None or not actor.has(*roles):
        raise NotAllowed("role")
    return actor


T = TypeVar("T")


def found(value: T | None, what: str) -> T:
    if value is None:
        raise NotFound(what)
    return value
