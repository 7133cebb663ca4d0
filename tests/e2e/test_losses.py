"""Issue #13: nothing is lost or starved under load. A handler that fails before its
effects were committed is handled again; a throttled triage card is posted once; urgent team
messages overtake bulk ones; a large import does not flood the store with suspects."""

import sqlite3
import threading

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from handlers import csv_import
from services import seekers
from tests.e2e.conftest import Team
from tests.e2e.scenarios import cast_with_seeker, scalar
from tests.e2e.test_seekers import GREETING, is_triage_card


def triage_cards(team: Team) -> list:
    return [m for m in team.fake.chat(team.group.id).messages if m.from_bot and is_triage_card(m)]


async def test_a_throttled_triage_card_is_posted_once_and_then_edited(team: Team) -> None:
    _anna, _oper, maria = await cast_with_seeker(team)
    await maria.ask("/start", contains=GREETING)
    team.fake.refuse("sendMessage", 1, chat_id=team.group.id, status=429, retry_after=1)
    await maria.send("Hello, I saw your ad")
    await team.fake.wait_until(lambda: team.fake.refused_counts["sendMessage"] == 1)
    await team.drain()
    assert triage_cards(team) == []  # refused: nothing stored by the fake
    team.clock.advance(seconds=2)
    await team.drain()
    await team.fake.wait_for(team.group.id, lambda m: is_triage_card(m)
                             and "Hello, I saw your ad" in m.text)
    await maria.send("Are you there?")
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: is_triage_card(m)
                                    and "Are you there?" in m.text)
    assert len(triage_cards(team)) == 1 and "Hello, I saw your ad" in card.text
    assert team.fake.refused_counts["sendMessage"] == 1


# ---------------------------------------------------------------- 5: a failed handler


def seeker_update(team: Team, text: str) -> dict:
    """Maria P (501) writes to the bot: the update as Telegram would deliver it (twice)."""
    return {
        "update_id": team.fake.next_update_id(),
        "message": {
            "message_id": 9001, "date": 1_790_000_000, "text": text,
            "chat": {"id": 501, "type": "private", "first_name": "Maria"},
            "from": {"id": 501, "is_bot": False, "first_name": "Maria", "last_name": "P",
                     "username": "maria_p"},
        },
    }


def database_locked_at_first(monkeypatch: pytest.MonkeyPatch, failures: int,
                             error: Exception | None = None) -> None:
    """The seeker's use case meets SQLite's writer lock (or `error`) `failures` times, then
    works."""
    real, left = seekers.receive, [failures]

    async def flaky(uow, *args, **kwargs):  # type: ignore[no-untyped-def]
        if left[0] > 0:
            left[0] -= 1
            raise error or OperationalError("INSERT INTO conversation_messages", {},
                                            sqlite3.OperationalError("database is locked"))
        return await real(uow, *args, **kwargs)

    monkeypatch.setattr(seekers, "receive", flaky)


async def stored_once(team: Team, text: str) -> None:
    """Exactly one effect: the message is stored once and shown on one triage card."""
    await team.drain()
    await team.fake.wait_idle()
    assert await scalar(team, "select count(*) from conversation_messages") == 1
    card = await team.fake.wait_for(team.group.id, lambda m: is_triage_card(m) and text in m.text)
    assert len(triage_cards(team)) == 1 and card.text.count(text) == 1


async def test_a_handler_failing_once_is_handled_and_a_redelivery_has_no_second_effect(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    await cast_with_seeker(team)
    database_locked_at_first(monkeypatch, failures=1)
    update = seeker_update(team, "Hello, I saw your ad")
    team.fake.inject_update(update)
    await team.fake.wait_for(501, lambda m: GREETING in (m.text or ""))
    team.fake.inject_update(update)  # Telegram delivers it again
    await stored_once(team, "Hello, I saw your ad")
    assert not [m for m in team.fake.chat(501).bot_messages if "Sorry" in (m.text or "")]


async def test_no_free_connection_in_time_is_retried_like_a_locked_database(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a burst an update can wait out the connection pool's timeout before its
    transaction began: nothing happened yet, so it is tried again, not lost."""
    await cast_with_seeker(team)
    database_locked_at_first(monkeypatch, failures=1, error=PoolTimeout("QueuePool limit"))
    update = seeker_update(team, "Hello, I saw your ad")
    team.fake.inject_update(update)
    await team.fake.wait_for(501, lambda m: GREETING in (m.text or ""))
    await stored_once(team, "Hello, I saw your ad")


async def test_an_update_whose_handling_failed_is_handled_on_the_next_delivery(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    await cast_with_seeker(team)
    database_locked_at_first(monkeypatch, failures=3)  # every try of the first delivery
    update = seeker_update(team, "Hello, I saw your ad")
    team.fake.inject_update(update)
    await team.fake.wait_for(501, lambda m: "Please try again" in (m.text or ""), timeout=15)
    assert await scalar(team, "select count(*) from conversation_messages") == 0
    team.fake.inject_update(update)
    await team.fake.wait_for(501, lambda m: GREETING in (m.text or ""))
    await stored_once(team, "Hello, I saw your ad")


# ---------------------------------------------------------------- 8: a large import


async def test_a_csv_file_is_read_and_planned_off_the_event_loop(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []

    def recorded(fn):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread().name)
            return fn(*args, **kwargs)
        return run

    monkeypatch.setattr(csv_import, "read_table", recorded(csv_import.read_table))
    monkeypatch.setattr(csv_import, "plan_import", recorded(csv_import.plan_import))
    await team.bind()
    await team.admin.send_document(b"name,phone,area\nMaria Ivanova,+380441234567,Podil\n",
                                   "leads.csv", mime_type="text/csv")
    await team.admin.wait_reply(contains="1 imported")
    assert len(threads) == 2 and threading.main_thread().name not in threads
