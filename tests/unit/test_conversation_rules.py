"""Seekers' conversations: triage once, relay statuses over time, the flood rule, the
operators' counts. Table-driven, no fixtures."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.conversations import (
    KEEP,
    OTHER,
    UNKNOWN,
    ContactDraft,
    Conversation,
    Direction,
    DraftField,
    FloodVerdict,
    RelayPolicy,
    RelayStatus,
    Triage,
    TriageAction,
    TriageEvent,
    check_draft,
    check_triage,
    flood_verdict,
    next_field,
    picked,
    reopens_triage,
    status_after_message,
    timed_status,
    triage_stats,
)
from domain.errors import AlreadyDone, InvalidInput, NoLongerAvailable, NotAllowed
from domain.members import Gender

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)
CONV = Conversation(id=1, seeker_tg_id=501, seeker_name="Maria", seeker_username=None,
                    triage=Triage.NEW, created_at=T0, round_started_at=T0)
POLICY = RelayPolicy(silent=24 * H, no_answer=7 * D)
OLEH, ANNA = 3, 4


@pytest.mark.parametrize(("triage", "claimed_by", "triaged_by", "action", "actor", "refusal"), [
    (Triage.NEW, None, None, TriageAction.CLAIM, OLEH, None),
    (Triage.NEW, None, None, TriageAction.SPAM, OLEH, None),
    (Triage.NEW, None, None, TriageAction.CONTACT, OLEH, None),
    (Triage.CLAIMED, OLEH, None, TriageAction.CONTACT, OLEH, None),
    (Triage.CLAIMED, OLEH, None, TriageAction.READ, OLEH, None),
    (Triage.CLAIMED, OLEH, None, TriageAction.CLAIM, OLEH, AlreadyDone),
    (Triage.CLAIMED, OLEH, None, TriageAction.SPAM, ANNA, NotAllowed),
    (Triage.SPAM, None, OLEH, TriageAction.SPAM, OLEH, AlreadyDone),
    (Triage.SPAM, None, OLEH, TriageAction.READ, ANNA, NoLongerAvailable),
    (Triage.READ, None, OLEH, TriageAction.CONTACT, OLEH, NoLongerAvailable),
    (Triage.CONTACT, None, OLEH, TriageAction.CONTACT, ANNA, NoLongerAvailable),
])
def test_each_request_is_handled_once(triage, claimed_by, triaged_by, action, actor,  # type: ignore[no-untyped-def]
                                      refusal) -> None:
    conv = replace(CONV, triage=triage, claimed_by=claimed_by, triaged_by=triaged_by)
    if refusal is None:
        check_triage(conv, action, actor)
    else:
        with pytest.raises(refusal):
            check_triage(conv, action, actor)
        if refusal is NoLongerAvailable:  # AlreadyDone is a NoLongerAvailable too: be exact
            with pytest.raises(NoLongerAvailable) as caught:
                check_triage(conv, action, actor)
            assert not isinstance(caught.value, AlreadyDone)


@pytest.mark.parametrize(("triage", "contact_open", "reopens"), [
    (Triage.NEW, False, False),
    (Triage.CLAIMED, False, False),
    (Triage.SPAM, False, False),  # muted senders never come back
    (Triage.READ, False, True),
    (Triage.CONTACT, True, False),
    (Triage.CONTACT, False, True),  # its contact was closed: a new request
])
def test_which_messages_open_a_new_request(triage, contact_open, reopens) -> None:  # type: ignore[no-untyped-def]
    assert reopens_triage(replace(CONV, triage=triage), contact_open) is reopens


def test_the_last_writer_sets_the_status() -> None:
    assert status_after_message(Direction.IN) is RelayStatus.SEEKER_REPLIED
    assert status_after_message(Direction.OUT) is RelayStatus.AWAITING_SEEKER


@pytest.mark.parametrize(("status", "handler_since", "last_in", "first_out", "now", "expected"), [
    # the seeker waits for an answer: not responding after CONV_SILENT_HOURS
    (RelayStatus.SEEKER_REPLIED, T0, T0, None, T0 + 23 * H, None),
    (RelayStatus.SEEKER_REPLIED, T0, T0, None, T0 + 24 * H, RelayStatus.NOT_RESPONDING),
    # the clock starts when the multiplier took it over, not at an old message
    (RelayStatus.SEEKER_REPLIED, T0 + 10 * H, T0, None, T0 + 30 * H, None),
    (RelayStatus.SEEKER_REPLIED, T0 + 10 * H, T0, None, T0 + 34 * H, RelayStatus.NOT_RESPONDING),
    # the first answer never answered: closed after CONV_NO_ANSWER_DAYS
    (RelayStatus.AWAITING_SEEKER, T0, T0, T0 + H, T0 + H + 7 * D - H, None),
    (RelayStatus.AWAITING_SEEKER, T0, T0, T0 + H, T0 + H + 7 * D, RelayStatus.CLOSED),
    # the seeker did answer once: awaiting them again is never closed by time
    (RelayStatus.AWAITING_SEEKER, T0, T0 + 2 * H, T0 + H, T0 + 30 * D, None),
    # nothing moves what has no multiplier yet, is closed, or already not responding
    (RelayStatus.NONE, None, T0, None, T0 + 30 * D, None),
    (RelayStatus.CLOSED, T0, T0, T0 + H, T0 + 30 * D, None),
    (RelayStatus.NOT_RESPONDING, T0, T0, None, T0 + 30 * D, None),
])
def test_statuses_time_sets(status, handler_since, last_in, first_out, now, expected) -> None:  # type: ignore[no-untyped-def]
    conv = replace(CONV, relay_status=status, handler_since=handler_since, last_in_at=last_in,
                   first_out_at=first_out, last_out_at=first_out)
    assert timed_status(conv, POLICY, now) is expected


WINDOW = T0 - timedelta(minutes=1)


@pytest.mark.parametrize(("recent", "slowed_at", "verdict"), [
    (0, None, FloodVerdict.ACCEPT),
    (9, None, FloodVerdict.ACCEPT),
    (10, None, FloodVerdict.WARN),
    (10, WINDOW - timedelta(seconds=1), FloodVerdict.WARN),  # warned in an earlier minute
    (10, T0 - timedelta(seconds=5), FloodVerdict.DROP),  # once per minute is enough
    (9, T0 - timedelta(seconds=5), FloodVerdict.ACCEPT),
])
def test_flood_rule(recent, slowed_at, verdict) -> None:  # type: ignore[no-untyped-def]
    assert flood_verdict(recent, 10, slowed_at, WINDOW) is verdict


def test_triage_stats_count_each_request_once() -> None:
    minutes = timedelta(minutes=1)
    events = [
        TriageEvent(OLEH, TriageAction.CLAIM, T0, 4 * minutes),
        TriageEvent(OLEH, TriageAction.CONTACT, T0, None),  # finishing a claim: not again
        TriageEvent(OLEH, TriageAction.SPAM, T0, 10 * minutes),
        TriageEvent(ANNA, TriageAction.READ, T0, 1 * minutes),
        TriageEvent(ANNA, TriageAction.SPAM, T0, 30 * minutes),
    ]
    stats = triage_stats(events)
    assert stats.triaged == 4
    assert stats.median_wait == 4 * minutes  # the lower median of 1, 4, 10, 30
    assert stats.spam == 2 and stats.spam_share == 0.5
    assert stats.by_member == {OLEH: 2, ANNA: 2}
    assert triage_stats(events[2:]).median_wait == 10 * minutes  # of 10, 1 and 30
    assert triage_stats([]).median_wait is None and triage_stats([]).spam_share == 0.0


# ------------------------------------------------------------- confirming a contact (draft)

DRAFT = ContactDraft(language="ru", area="Obolon")
OFFERED = frozenset({"en", "uk"})


@pytest.mark.parametrize(("field", "value", "expected"), [
    (DraftField.GENDER, "f", replace(DRAFT, gender=Gender.FEMALE)),
    (DraftField.GENDER, "u", DRAFT),
    (DraftField.LANGUAGE, "ru", DRAFT),  # the guess
    (DraftField.LANGUAGE, "uk", replace(DRAFT, language="uk")),  # one offered
    (DraftField.LANGUAGE, UNKNOWN, replace(DRAFT, language="")),
    (DraftField.AREA, KEEP, DRAFT),
    (DraftField.AREA, UNKNOWN, replace(DRAFT, area="")),
    (DraftField.GENDER, "x", InvalidInput),  # forged
    (DraftField.LANGUAGE, "de", InvalidInput),  # never offered
    (DraftField.AREA, "Podil", InvalidInput),  # an area is typed, not carried by a button
    (DraftField.AREA, OTHER, InvalidInput),
])
def test_a_draft_button(field: DraftField, value: str, expected: object) -> None:
    if isinstance(expected, type):
        with pytest.raises(expected):
            picked(DRAFT, field, value, OFFERED)
    else:
        assert picked(DRAFT, field, value, OFFERED) == expected


def test_the_draft_steps_and_its_round_trip() -> None:
    assert [next_field(f) for f in DraftField] == [DraftField.LANGUAGE, DraftField.AREA, None]
    assert ContactDraft.from_dict(replace(DRAFT, gender=Gender.MALE).as_dict()) == replace(
        DRAFT, gender=Gender.MALE)


@pytest.mark.parametrize(("triage", "claimer", "draft", "triaged_by", "actor", "error"), [
    (Triage.CLAIMED, OLEH, DRAFT, None, OLEH, None),
    (Triage.CLAIMED, OLEH, DRAFT, None, ANNA, NotAllowed),  # another operator
    (Triage.CLAIMED, OLEH, None, None, OLEH, NoLongerAvailable),  # no draft open
    (Triage.CONTACT, OLEH, None, OLEH, OLEH, AlreadyDone),  # sent already: a double press
    (Triage.READ, OLEH, None, OLEH, OLEH, NoLongerAvailable),
])
def test_who_may_confirm_a_draft(triage: Triage, claimer: int, draft: ContactDraft | None,
                                 triaged_by: int | None, actor: int, error: type | None) -> None:
    conv = replace(CONV, triage=triage, claimed_by=claimer, draft=draft, triaged_by=triaged_by)
    if error is None:
        assert check_draft(conv, actor) == draft
    else:
        with pytest.raises(error):
            check_draft(conv, actor)


def test_a_second_make_contact_while_confirming_is_refused() -> None:
    conv = replace(CONV, triage=Triage.CLAIMED, claimed_by=OLEH, draft=DRAFT)
    with pytest.raises(AlreadyDone):
        check_triage(conv, TriageAction.CONTACT, OLEH)
