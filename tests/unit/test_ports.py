"""Both units of work take the calls use cases make as services.ports describes them: every
method a repository Protocol lists exists on storage's repository and on the fake's, with
the same parameters (names, kinds, defaults). No type checker runs in CI; this does."""

import inspect
import typing

import pytest

from services import ports
from storage.uow import UnitOfWork
from tests.fakes.uow import FakeDatabase, NotInTheFake


def _repositories() -> dict[str, type]:
    hints = {name: member for name, member in vars(ports.UnitOfWork).items()
             if isinstance(member, property)}
    return {name: typing.get_type_hints(prop.fget)["return"] for name, prop in hints.items()}


def _methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items()
            if inspect.iscoroutinefunction(value) and not name.startswith("_")]


def _shape(fn: object) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default)
            for p in inspect.signature(fn).parameters.values()  # type: ignore[arg-type]
            if p.name != "self"]


async def _implementations() -> dict[str, tuple[object, object]]:
    storage = await UnitOfWork(lambda: None).__aenter__()  # type: ignore[arg-type,return-value]
    fake = FakeDatabase().uow()
    return {name: (getattr(storage, name), getattr(fake, name)) for name in _repositories()}


def test_the_interface_lists_every_repository() -> None:
    assert set(_repositories()) == {
        "members", "contacts", "offers", "invites", "audit", "settings", "outbox", "areas",
        "tracks", "reports", "conversations", "duplicates", "api_keys", "idempotency",
        "exports", "web_forms", "milestones"}


@pytest.mark.parametrize("name", sorted(_repositories()))
async def test_implementations_match_the_interface(name: str) -> None:
    protocol = _repositories()[name]
    storage, fake = (await _implementations())[name]
    for method in _methods(protocol):
        wanted = _shape(getattr(protocol, method))
        assert _shape(getattr(type(storage), method)) == wanted, f"storage {name}.{method}"
        if not isinstance(fake, NotInTheFake):
            assert _shape(getattr(type(fake), method)) == wanted, f"fake {name}.{method}"
