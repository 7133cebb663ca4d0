"""The pure rules behind issue 17's dispatch half: waiting time that counts (quiet hours
skipped, across midnight and DST), what an operator hears about their seekers, the days
an offer may promise."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.contacts import Contact, ContactDetails, Status
from domain.delivery import Purpose
from domain.errors import InvalidInput
from domain.match_settings import apply_setting
from domain.matching import MatchPolicy
from domain.offers import DAY_CHOICES, offer_days
from domain.outcomes import ACTIONS, Event, Outcome, event
from domain.members import Member
from domain.roles import Role
from domain.settings import TEAM_CHAT
from domain.timing import counted_wait_ends
from services import digests, undispatched
from services.notify import Quiet
from services.release import back_to_dispatch
from tests.fakes.uow import FakeDatabase

KYIV = ZoneInfo("Europe/Kyiv")
QUIET = (time(21), time(8))
SIX = timedelta(hours=6)


def kyiv(*args: int) -> datetime:
    return datetime(*args, tzinfo=KYIV).astimezone(UTC)


def test_without_quiet_hours_the_wait_is_the_clock() -> None:
    since = kyiv(2026, 11, 26, 20, 0)
    assert counted_wait_ends(since, SIX, KYIV, None) == since + SIX
    assert counted_wait_ends(since, SIX, KYIV, (time(21), time(21))) == since + SIX


def test_the_night_does_not_count_across_midnight() -> None:
    """Entered at 20:00: one hour before 21:00, five after 08:00 -> 13:00 the next day."""
    assert counted_wait_ends(kyiv(2026, 11, 26, 20, 0), SIX, KYIV, QUIET) == kyiv(2026, 11, 27, 13, 0)


def test_entered_during_quiet_hours_counts_from_their_end() -> None:
    assert counted_wait_ends(kyiv(2026, 11, 26, 23, 30), SIX, KYIV, QUIET) == kyiv(2026, 11, 27, 14, 0)
    assert counted_wait_ends(kyiv(2026, 11, 27, 3, 0), SIX, KYIV, QUIET) == kyiv(2026, 11, 27, 14, 0)


def test_a_day_time_wait_never_meets_the_night() -> None:
    assert counted_wait_ends(kyiv(2026, 11, 26, 9, 0), SIX, KYIV, QUIET) == kyiv(2026, 11, 26, 15, 0)


def test_a_long_wait_skips_every_night() -> None:
    """13 counted hours a day (08:00-21:00): 26 hours end at the second day's 21:00."""
    ends = counted_wait_ends(kyiv(2026, 11, 26, 8, 0), timedelta(hours=26), KYIV, QUIET)
    assert ends == kyiv(2026, 11, 27, 21, 0)


def test_dst_nights_are_shorter_or_longer_in_utc_but_the_same_on_the_wall() -> None:
    """Kyiv springs forward on 29 March 2026 and falls back on 25 October 2026."""
    assert counted_wait_ends(kyiv(2026, 3, 28, 20, 0), SIX, KYIV, QUIET) == kyiv(2026, 3, 29, 13, 0)
    assert counted_wait_ends(kyiv(2026, 10, 24, 20, 0), SIX, KYIV, QUIET) == kyiv(2026, 10, 25, 13, 0)
    # the UTC length of those nights differs by the hour gained or lost
    spring = kyiv(2026, 3, 29, 13, 0) - kyiv(2026, 3, 28, 20, 0)
    autumn = kyiv(2026, 10, 25, 13, 0) - kyiv(2026, 10, 24, 20, 0)
    assert autumn - spring == timedelta(hours=2)


def test_quiet_hours_within_one_day() -> None:
    """Quiet 12:00-14:00 (a siesta), not spanning midnight."""
    assert counted_wait_ends(kyiv(2026, 11, 26, 10, 0), SIX, KYIV, (time(12), time(14))) == \
        kyiv(2026, 11, 26, 18, 0)


def test_contact_events_become_outcomes() -> None:
    assert event("offer", '"offered"') == Event(Outcome.OFFERED)
    assert event("auto_offer", None) == Event(Outcome.OFFERED)
    assert event("assign", '"accepted"') == Event(Outcome.ACCEPTED)
    assert event("stage", '"met"') == Event(Outcome.STAGE, "met")
    assert event("close:spam", '"closed"') == Event(Outcome.CLOSED, "spam")
    assert event("auto_close", '"closed"') == Event(Outcome.CLOSED, "no_response")
    assert event("hand_back", '"new"') == Event(Outcome.HANDED_BACK)
    assert event("declined", '"new"') == Event(Outcome.BACK_IN_DISPATCH)
    assert event("merged_into", '{"keeper": 3}') == Event(Outcome.MERGED, "3")


def test_what_is_not_news_for_an_operator_is_left_out() -> None:
    assert event("edit", "{}") is None
    assert event("stage", '"no such stage"') is None
    assert event("stage", "not json") is None
    assert event("merged_into", '"odd"') == Event(Outcome.MERGED, "")
    assert "edit" not in ACTIONS and "stage" in ACTIONS


def test_an_offers_days_are_the_default_or_a_choice_from_the_list() -> None:
    assert offer_days(0, 2) == 2
    for days in DAY_CHOICES:
        assert offer_days(days, 2) == days
    for forged in (4, 6, 30, -1):
        with pytest.raises(InvalidInput):
            offer_days(forged, 2)


def test_an_admin_sets_the_teams_default_days() -> None:
    assert apply_setting(MatchPolicy(), "offer_days", "3").offer_days == 3
    assert apply_setting(MatchPolicy(offer_days=3), "offer_days", "0").offer_days == 0
    for bad in ("31", "x", "-1"):
        with pytest.raises(InvalidInput):
            apply_setting(MatchPolicy(), "offer_days", bad)


# ---------------------------------------------------------------- the use cases, on the fake


def _alarm(locale: str, contact: Contact, hours: int) -> tuple[str, str | None]:
    """The team's locale ('' : the deployment's default), the contact, the hours."""
    return f"[{locale}] #{contact.id} waited {hours} h", None


async def _with_operator() -> tuple[FakeDatabase, Member]:
    """An empty team but for Oleh, the operator who enters the seekers."""
    db = FakeDatabase()
    async with db.uow() as uow:
        oper = await uow.members.add(3001, "Oleh", None, {Role.OPERATOR}, NOON)
        await uow.commit()
    return db, oper


async def _waiting_contact(db: FakeDatabase, operator: Member) -> Contact:
    async with db.uow() as uow:
        await uow.settings.set(TEAM_CHAT, "-100")
        contact = await uow.contacts.add(ContactDetails(name="Maria", area="Podil"),
                                         operator.id, NOON)
        await uow.commit()
    return contact


NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
NO_QUIET = Quiet(None, None, "UTC")


async def test_one_alarm_per_contact_however_often_the_job_runs() -> None:
    db, oper = await _with_operator()
    contact = await _waiting_contact(db, oper)
    async with db.uow() as uow:
        assert await undispatched.due(uow, SIX, NO_QUIET, NOON + timedelta(hours=5)) == []
    later = NOON + SIX
    for _ in range(2):
        async with db.uow() as uow:
            for due in await undispatched.due(uow, SIX, NO_QUIET, later):
                assert await undispatched.raise_alarm(uow, due, 6, later, _alarm)
    async with db.uow() as uow:  # a stale read of the contact cannot raise it twice either
        await undispatched.raise_alarm(uow, contact, 6, later, _alarm)
    alarms = [r for r in db.committed.outbox if r.purpose == Purpose.ALARM]
    assert [(r.chat_id, r.message.text) for r in alarms] == [(-100, f"[] #{contact.id} waited 6 h")]
    stored = db.committed.contacts[contact.id]
    assert stored.undispatched_alarm_at == later
    async with db.uow() as uow:  # still listed for the digests while it waits
        assert [c.id for c in await undispatched.forgotten(uow, SIX, NO_QUIET, later)] == \
            [contact.id]


async def test_an_operator_reads_only_their_own_seekers_news() -> None:
    db = FakeDatabase()
    async with db.uow() as uow:
        oper = await uow.members.add(3001, "Oleh", None, {Role.OPERATOR}, NOON)
        other = await uow.members.add(3002, "Ola", None, {Role.OPERATOR}, NOON)
        await uow.commit()
    mine = await _waiting_contact(db, oper)
    theirs = await _waiting_contact(db, other)
    async with db.uow() as uow:
        for contact in (mine, theirs):
            await uow.audit.record(NOON, None, "contact", contact.id, "offer", "new", "offered")
        await uow.audit.record(NOON, None, "contact", mine.id, "edit", None, {})
        await uow.commit()
    async with db.uow() as uow:
        d = await digests.for_operator(uow, oper, NOON - timedelta(minutes=1))
    assert [(c.id, events) for c, events in d.news] == [(mine.id, [Event(Outcome.OFFERED)])]
    assert digests.wants_operator_digest(oper)


def _alarms(locale: str, contacts: list[Contact], hours: int) -> tuple[str, str | None]:
    return " ".join(f"#{c.id}" for c in contacts), None


async def test_a_burst_left_waiting_gets_one_alarm_together() -> None:
    db, oper = await _with_operator()
    contacts = [await _waiting_contact(db, oper) for _ in range(undispatched.BURST + 2)]
    later = NOON + SIX
    async with db.uow() as uow:
        due = await undispatched.due(uow, SIX, NO_QUIET, later)
    async with db.uow() as uow:
        assert await undispatched.raise_together(uow, due, 6, later, _alarms) == len(contacts)
    async with db.uow() as uow:  # a second run finds nothing left to raise
        assert await undispatched.due(uow, SIX, NO_QUIET, later) == []
    alarms = [r.message.text for r in db.committed.outbox if r.purpose == Purpose.ALARM]
    assert alarms == [" ".join(f"#{c.id}" for c in contacts)]


def test_one_alarm_per_wait_the_wait_restarting_when_a_holder_lets_go() -> None:
    contact = Contact(1, ContactDetails(name="Maria"), Status.NEW, NOON, NOON)
    assert not contact.alarmed_this_wait
    alarmed = replace(contact, undispatched_alarm_at=NOON + SIX)
    assert alarmed.alarmed_this_wait
    assert not replace(alarmed, waiting_since=NOON + 2 * SIX).alarmed_this_wait


async def test_a_seeker_let_go_after_the_alarm_is_raised_again_lapsed_offers_are_not() -> None:
    db, oper = await _with_operator()
    contact = await _waiting_contact(db, oper)
    later = NOON + SIX
    async with db.uow() as uow:
        (due,) = await undispatched.due(uow, SIX, NO_QUIET, later)
        assert await undispatched.raise_alarm(uow, due, 6, later, _alarm)
    async with db.uow() as uow:  # offered, the offer lapsed: the same wait
        await uow.contacts.transition(contact.id, [Status.NEW], Status.OFFERED)
        await uow.contacts.transition(contact.id, [Status.OFFERED], Status.NEW)
        await uow.commit()
    async with db.uow() as uow:
        assert await undispatched.due(uow, SIX, NO_QUIET, later + 4 * SIX) == []
    back = later + 4 * SIX
    async with db.uow() as uow:  # taken, then handed back: a fresh waiting clock
        await uow.contacts.set_fields(contact.id, **back_to_dispatch(back))
        await uow.commit()
    async with db.uow() as uow:
        assert await undispatched.due(uow, SIX, NO_QUIET, back + timedelta(hours=5)) == []
        (due,) = await undispatched.due(uow, SIX, NO_QUIET, back + SIX)
    async with db.uow() as uow:  # the first wait's stale read raises nothing
        assert not await undispatched.raise_alarm(uow, contact, 6, back + SIX, _alarm)
    for _ in range(2):
        async with db.uow() as uow:
            await undispatched.raise_alarm(uow, due, 6, back + SIX, _alarm)
    alarms = [r.message.text for r in db.committed.outbox if r.purpose == Purpose.ALARM]
    assert alarms == [f"[] #{contact.id} waited 6 h"] * 2
    assert db.committed.contacts[contact.id].undispatched_alarm_at == back + SIX


async def test_a_burst_bigger_than_one_message_names_every_contact_it_raises() -> None:
    """25 due at once: two messages (20 and 5), none raised without being named."""
    db, oper = await _with_operator()
    contacts = [await _waiting_contact(db, oper) for _ in range(undispatched.NAMED + 5)]
    async with db.uow() as uow:
        due = await undispatched.due(uow, SIX, NO_QUIET, NOON + SIX)
    async with db.uow() as uow:
        assert await undispatched.raise_together(uow, due, 6, NOON + SIX, _alarms) == len(contacts)
    alarms = [r.message.text for r in db.committed.outbox if r.purpose == Purpose.ALARM]
    ids = [f"#{c.id}" for c in contacts]
    assert alarms == [" ".join(ids[:undispatched.NAMED]), " ".join(ids[undispatched.NAMED:])]
