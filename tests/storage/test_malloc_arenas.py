"""The arena limit is asked of glibc once, and never against an operator's own setting."""

import sys

import pytest

from storage import malloc_arenas


class FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def mallopt(self, parameter: int, value: int) -> int:
        self.calls.append((parameter, value))
        return 1


@pytest.fixture
def libc(monkeypatch: pytest.MonkeyPatch) -> FakeLibc:
    fake = FakeLibc()
    monkeypatch.setattr(malloc_arenas.ctypes, "CDLL", lambda _name: fake)
    monkeypatch.setattr(malloc_arenas, "_done", False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    return fake


def test_two_arenas_are_asked_for_once(libc: FakeLibc) -> None:
    malloc_arenas.limit_arenas()
    malloc_arenas.limit_arenas()
    assert libc.calls == [(-8, 2)]


def test_an_operators_setting_is_left_to_glibc(libc: FakeLibc,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    malloc_arenas.limit_arenas()
    assert libc.calls == []


def test_a_libc_without_mallopt_is_no_error(libc: FakeLibc,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(malloc_arenas.ctypes, "CDLL", lambda _name: object())
    malloc_arenas.limit_arenas()
