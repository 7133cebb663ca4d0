"""Every text the views make, rendered in English and in every shipped language.

A translation can be valid gettext and still break the bot: a placeholder renamed by the
translator raises KeyError when the text is formatted, a plural form left empty shows an
empty message. The catalogue checks (tools/check_catalogues.py) read the .po files; this
renders the texts through the compiled .mo the bot loads, with sample arguments that reach
every branch worth reaching. A language added under bot/locales is picked up by itself.

Every public view function that returns text (a str, a tuple of str, a keyboard, the chart's
words) needs sample arguments in SAMPLES, and so does every function of the text modules
listed in TEXT_MODULES: a new text function without them fails
`test_every_text_function_has_samples`.
"""

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import UnionType
from typing import Any, get_args
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

import views
from views import labels, texts
from domain.areas import Area, AreaMap
from domain.bursts import Batch
from domain.contact_access import (
    EDIT_FIELDS,
    HOLDER_FIELDS,
    HeldByMultiplier,
    HolderFieldsOnly,
    NotYours,
    PrivateOnly,
    Visibility,
    editable_fields,
    screen_actions,
    visibility,
)
from domain.contact_fields import FieldError
from domain.contact_filters import AmbiguousFilterWord, ContactFilter, UnknownFilterWord, encode
from domain.contacts import (
    ASSIGNED_STATUSES,
    FOLLOW_UP_STAGES,
    HELD_CLOSE_REASONS,
    Contact,
    ContactDetails,
    Status,
)
from domain.conversations import (
    Conversation,
    ConversationMessage,
    Direction,
    Kind,
    RelayStatus,
    Triage,
)
from domain.csv_import import Refused
from domain.csv_table import Table
from domain.duplicates import Match, Strength, Suspect
from domain.duplicates import Reason as DupReason
from domain.errors import (
    AlreadyAsked,
    AlreadyDone,
    DomainError,
    InvalidInput,
    NoLongerAvailable,
    NoLongerYours,
    NotAllowed,
    NotFound,
    UnknownPlaces,
)
from domain.match_settings import MatchPolicy
from domain.meetings import NoteKind
from domain.matching import Candidate, Exclusion, Reason, Suggestion, Verdict
from domain.members import Availability, Gender, Member, Profile
from domain.milestones import Milestone, Reached
from domain.offers import DeclineReason, Offer, OfferStatus, Release
from domain.reliability import Track
from domain.reports import (
    AreaWeek,
    Coaching,
    Slips,
    SourceFunnel,
    Counters,
    DispatcherFigures,
    MultiplierFigures,
    OperatorFigures,
    Period,
    Report,
)
from domain.roles import Role
from domain.supply import SupplyReport, SupplyRow
from domain.timeline import Event, Timeline
from domain.web_forms import Choices, FormFigures, WebForm
from domain.web_forms import Field as FormField
from services.cards import CardView
from services.contact_lists import Listing
from services.contact_screen import DISPATCHABLE, Screen
from domain.outcomes import Event as OutcomeEvent
from domain.outcomes import Outcome
from services.digests import DispatcherDigest, MultiplierDigest, OperatorDigest
from services.importing import ImportReport
from services.leavers import Departure
from services.matching import Explanation
from services.triage import TriageCard
from services.web_forms import Listed, Page
from views.report_charts import ChartText

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "bot" / "locales"
sys.path.insert(0, str(ROOT / "tools"))
import check_catalogues  # noqa: E402 - a script directory, not a package

#: Modules whose every public function is a text the bot shows (all need samples).
TEXT_MODULES = ("texts", "labels", "digest_texts", "report_texts", "supply_texts",
                "conversation_texts", "import_texts", "help", "offers", "duplicate_texts",
                "importing")
#: Return types that are text for a person to read.
TEXT_RETURNS = (str, tuple, InlineKeyboardMarkup, ChartText)
#: Functions that return a str but no words: why each one is left out.
NOT_TEXT = {"csv_files.safe": "a spreadsheet cell made safe, the caller's own value"}

# --- sample domain objects -------------------------------------------------------------------

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
AGO = NOW - timedelta(hours=5)
DETAILS = ContactDetails(name="Maria Ivanova", phone="+380441234567", tg_username="maria_i",
                         email="maria@example.org", gender=Gender.FEMALE, language="ru",
                         area="Podil", source="spring <campaign>", notes="after 6 pm",
                         given_name="Maria")
TRACK = Track(offers=10, accepted=8, median_answer=timedelta(hours=2), judged=5, in_time=4,
              recent_nags=1, recent_escalations=1, last_offer_at=NOW - timedelta(days=9))
AREAS = AreaMap(areas={"podil": Area(key="podil", name="Podil", city="Kyiv")})
NAMES = {1: "Boss", 2: "Anna", 3: "Olga <O>", 4: "Oleh"}


def contact(status: Status = Status.NEW, **changes: Any) -> Contact:
    return Contact(id=12, details=DETAILS, status=status, created_at=AGO, waiting_since=AGO,
                   **changes)


def member(member_id: int, *roles: Role, **profile: Any) -> Member:
    return Member(id=member_id, tg_user_id=100 + member_id, name=NAMES[member_id],
                  roles=frozenset(roles), username=f"user{member_id}", timezone="Europe/Kyiv",
                  profile=Profile(gender=Gender.FEMALE, languages=frozenset({"ru", "uk"}),
                                  areas=frozenset({"podil"}), capacity=5, travel_km=10,
                                  **profile))


def offer(status: OfferStatus = OfferStatus.PENDING, **changes: Any) -> Offer:
    return Offer(id=5, contact_id=12, multiplier_id=2, offered_by=1, status=status,
                 created_at=AGO, expires_at=NOW + timedelta(hours=19), days=2, **changes)


BOSS = member(1, *Role)
ANNA = member(2, Role.MULTIPLIER, availability=Availability.AWAY,
              away_until=NOW + timedelta(days=9))
OLGA = member(3, Role.DISPATCHER)
OLEH = member(4, Role.OPERATOR)
SUGGESTION = Suggestion(member=ANNA, score=7.25, load=2, reasons=tuple(Reason), track=TRACK,
                        distance_km=12.4)
CANDIDATE = Candidate(member=ANNA, load=5, track=TRACK)
SUSPECT = Suspect(id=1, contact_id=12, other_id=9, score=90,
                  reasons=(DupReason.SIMILAR_NAME, DupReason.SAME_AREA), status="pending")
MATCH = Match(contact_id=9, strength=Strength.EXACT, score=100, reasons=(DupReason.SAME_PHONE,))
DECLINED = offer(OfferStatus.DECLINED, answered_at=NOW, decline_reason=DeclineReason.TOO_FAR)
ACCEPTED = offer(OfferStatus.ACCEPTED, answered_at=AGO + timedelta(minutes=30))


def card(status: Status = Status.NEW, offers: tuple[Offer, ...] = (DECLINED,),
         **changes: Any) -> CardView:
    """A card with something in every line it can have."""
    values: dict[str, Any] = dict(
        contact=contact(status, area_key="podil", auto_dispatch=True, auto_tries=2,
                        dispatch_note="too far for me", merged_into=9),
        offers=[*offers, offer(OfferStatus.EXPIRED)], names=NAMES, suggestions=[SUGGESTION],
        assignee=None, location=None, areas=AREAS, policy=MatchPolicy(auto_dispatch=True),
        area_guesses=("podil",), suspects=[SUSPECT], touches=2)
    values.update(changes)
    return CardView(**values)


MILESTONES_SEEN = (Reached(12, Milestone.READS_BIBLE, AGO, 2), Reached(12, Milestone.IN_GROUP, NOW, 1))
MET_WITH_RECORD = contact(Status.MET, assignee_id=2, meeting_at=AGO, meeting_place="Café <Lviv>",
                          stage_note="Good <talk>")
CARDS = [
    card(),
    card(nearest=(SUGGESTION,), contact=contact(area_key=None)),  # unknown place, unserved
    card(suggestions=[], all_asked=True),
    card(suggestions=[]),
    card(Status.OFFERED, (offer(automatic=True),)),
    card(Status.ATTEMPTED, (ACCEPTED,), assignee=ANNA,
         contact=contact(Status.ATTEMPTED, escalated_at=NOW)),
    card(Status.ON_HOLD),
    card(Status.CLOSED, contact=contact(Status.CLOSED, close_reason="spam")),
    card(Status.MERGED, merge_id=3),
    # held again after a dispatcher took it from Olga; a dispatcher asked Anna for an update
    card(Status.REACHED, (replace(ACCEPTED, multiplier_id=3, release=Release.REASSIGNED,
                                  released_at=AGO), ACCEPTED), assignee=ANNA,
         contact=contact(Status.REACHED, assignee_id=2, update_requested_at=AGO,
                         update_requested_by=1)),
    # a meeting coming and one passed, with faith milestones
    card(Status.MEETING_SCHEDULED, (ACCEPTED,), assignee=ANNA, milestones=MILESTONES_SEEN,
         contact=contact(Status.MEETING_SCHEDULED, assignee_id=2, meeting_at=NOW + timedelta(days=2))),
    card(Status.MEETING_SCHEDULED, (ACCEPTED,), assignee=ANNA, milestones=MILESTONES_SEEN[:1],
         contact=contact(Status.MEETING_SCHEDULED, assignee_id=2, meeting_at=AGO)),
    # back in dispatch because its holder left the team: the bot's own note
    card(offers=(replace(ACCEPTED, release=Release.LEFT, released_at=AGO),),
         contact=contact(dispatch_note="Anna left the team; was at stage reached")),
]
EXPLANATION = Explanation(contact=contact(), areas=AREAS, verdicts=[
    Verdict(Candidate(ANNA, 2, TRACK), None, SUGGESTION),
    *(Verdict(CANDIDATE, exclusion, None) for exclusion in Exclusion)])
EMPTY_EXPLANATION = Explanation(contact=contact(), areas=AREAS, verdicts=[])

COACHING = Coaching(3, "Olga", Slips(declines=4, lapses=2, overdue=3), Slips(declines=1))
REPORT = Report(
    period=Period(NOW - timedelta(days=7), NOW),
    counters=Counters(new=2, dispatched=1, accepted=1, reached=1, met=1, closed=0, waiting_now=1),
    funnel={Status.NEW: 1, Status.MET: 1},
    multipliers=[MultiplierFigures(2, "Anna", offers=1, accepted=1,
                                   accept_times=[timedelta(minutes=30)],
                                   first_contact_times=[timedelta(hours=2)], met=1),
                 MultiplierFigures(3, "Olga", offers=21)],
    dispatchers=[DispatcherFigures(1, "Boss", offers=1, waits=[timedelta(hours=1)]),
                 DispatcherFigures(None, "auto-dispatch", offers=3)],
    operators=[OperatorFigures(4, "Oleh", entered=2, triaged=1,
                               triage_times=[timedelta(minutes=4)], spam=1)],
    dispatch_times=[timedelta(minutes=30), timedelta(hours=5), timedelta(days=4)],
    web_forms=[FormFigures("spring", sent=40, refused=3), FormFigures("<b>", sent=1)],
    sources=[SourceFunnel("instagram · spring", 40, 30, 20, 8), SourceFunnel("", 1, 0, 0, 0)],
    areas=[AreaWeek("podil", date(2026, 11, 16), 3), AreaWeek("", date(2026, 11, 23), 1)],
    free_capacity={"podil": 2},
    coaching=[COACHING],
    idle=[("Ivan", 5)],
    stage_times={Status.NEW: [timedelta(hours=3)], Status.ATTEMPTED: [timedelta(days=2)]})
ONE_DAY_REPORT = Report(period=Period(NOW - timedelta(days=1), NOW), counters=Counters(),
                        funnel={}, multipliers=[], dispatchers=[], operators=[],
                        dispatch_times=[])
SUPPLY = SupplyReport(
    by_area=[SupplyRow("podil", waiting=3, new_recent=5, multipliers=1, free_capacity=1),
             SupplyRow("", waiting=1)],
    by_language=[SupplyRow("ru", waiting=4, multipliers=1, free_capacity=1), SupplyRow("")],
    idle=[CANDIDATE], unserved=[contact(area_key="podil")])
EMPTY_SUPPLY = SupplyReport(by_area=[], by_language=[], idle=[])

HELD = contact(Status.ATTEMPTED, assignee_id=2, stage_changed_at=AGO)
DIGEST = DispatcherDigest(
    waiting=[contact()] * 12, declined=[(DECLINED, contact())],
    expired=[(offer(OfferStatus.EXPIRED), contact())],
    handed_back=[contact(dispatch_note="moved away")], auto_closed=[contact(Status.CLOSED)],
    overdue=[HELD], not_responding=[HELD], unreachable=[ANNA], overloaded=[(ANNA, 5)],
    seekers_waiting=[HELD], seekers_silent=[HELD], forgotten=[contact()], forgotten_hours=6,
    names=NAMES)
OUTCOMES = [OutcomeEvent(Outcome.OFFERED), OutcomeEvent(Outcome.ACCEPTED),
            OutcomeEvent(Outcome.STAGE, "met"), OutcomeEvent(Outcome.CLOSED, "no_response"),
            OutcomeEvent(Outcome.HANDED_BACK), OutcomeEvent(Outcome.BACK_IN_DISPATCH),
            OutcomeEvent(Outcome.MERGED, "3"), OutcomeEvent(Outcome.MERGED)]
OPERATOR_DIGEST = OperatorDigest(news=[(contact(), OUTCOMES), (HELD, OUTCOMES[:2])])
MY_DIGEST = MultiplierDigest(pending=[(offer(), contact())], need_update=[HELD],
                             seeker_replied=[(HELD, RelayStatus.SEEKER_REPLIED)])


def conversation(triage: Triage = Triage.NEW) -> Conversation:
    return Conversation(id=7, seeker_tg_id=900, seeker_name="Maria <M>", seeker_username="maria_i",
                        triage=triage, created_at=AGO, round_started_at=AGO, claimed_by=4,
                        triaged_by=4, contact_id=12)


MESSAGES = [
    ConversationMessage(1, 7, Direction.IN, Kind.TEXT, "Call me: +380 44 123 4567", None, AGO),
    ConversationMessage(2, 7, Direction.OUT, Kind.PHOTO, None, "file-1", NOW, 2),
]


def triage_card(triage: Triage = Triage.NEW, count: int = 2) -> TriageCard:
    return TriageCard(conversation=conversation(triage), latest=MESSAGES[:1], count=count,
                      names=NAMES, contact=contact(Status.ACCEPTED), holder_gone=True,
                      history=MESSAGES)


IMPORT = ImportReport(file_name="leads.csv", rows=6, imported=[1, 2, 3, 4], attached=[5],
                      suspected=[6],
                      refused=[Refused(3, ("Maria", "x"), (FieldError("phone", "phone"),))])
ONE_REFUSED = ImportReport(file_name="one.csv", rows=1,
                           refused=[Refused(2, ("",), (FieldError("name", "required"),))])
TABLE = Table(header=("name", "phone"), columns={"name": 0, "phone": 1}, ignored=(), rows=())

FORM = WebForm(3, "spring", 1, NOW, frozenset(FormField), greeting="Spring <b>\n\nTell us",
               thanks="Thanks!\nSee you", consent="I agree & more", question="Best time?",
               source_tag="fb", paused=True)
BARE_FORM = WebForm(4, "autumn", 1, NOW)
PAGE = Page(FORM, True, Choices({"podil": "Podil <P>"}, ("ru", "uk")), "uk")
LISTED = [Listed(FORM, 40, 3), Listed(BARE_FORM, 0, 0)]

#: Counts that pick every plural form in the shipped languages (1, 2-4, 5+, 21, 0).
COUNTS = (0, 1, 2, 5, 21)

# --- a contact's screen, the /contacts and /my lists, holding, leavers ------------------------


def numbered(contact_id: int, status: Status = Status.NEW,
             details: ContactDetails = DETAILS, **changes: Any) -> Contact:
    """contact() under another id (and other details if given): list pages show several."""
    return replace(contact(status, **changes), id=contact_id, details=details)


def moment(minutes: int) -> datetime:
    return AGO + timedelta(minutes=minutes)


#: A history with a line of every kind the audit log and the offers make (and one a newer
#: action would make): by the bot, by members, by someone no longer on the team (id 9).
EVENTS = (
    Event(moment(0), "create", 4, None, {"name": "Maria Ivanova", "source": "spring <campaign>"}),
    Event(moment(0), "create", None, None, {"name": "Maria", "source": ""}),
    Event(moment(1), "touch", 4, None, {"reasons": ["same_phone"], "source": "csv:leads.csv",
                                        "added": {"email": "maria@example.org"}}),
    Event(moment(1), "touch", None, None, {"reasons": ["same_email"], "added": {}, "source": ""}),
    Event(moment(2), "map_area", 1, None, "podil"),
    Event(moment(2), "map_area", 1, "podil", "not-on-the-list"),
    Event(moment(3), "offer", 1, offer=DECLINED),
    Event(moment(3), "offer", None, offer=offer(OfferStatus.EXPIRED, automatic=True)),
    Event(moment(3), "offer", 9, offer=offer(OfferStatus.WITHDRAWN)),
    Event(moment(4), "offer", 1, offer=ACCEPTED),
    Event(moment(4), "offer", 1, offer=offer(OfferStatus.ACCEPTED, answered_at=AGO)),
    Event(moment(4), "offer", 1, offer=offer()),
    *(Event(moment(5), "stage", 2, "accepted", stage.value) for stage in FOLLOW_UP_STAGES),
    *(Event(moment(6), "edit", 1, {name: before}, {name: after}) for name, before, after in (
        ("name", "Maria", "Maria <Ivanova>"), ("phone", None, "+380441234567"),
        ("tg_username", "maria_i", None), ("email", "old@example.org", "maria@example.org"),
        ("gender", "u", "f"), ("language", "", "uk"), ("area", "Podil", ""),
        ("source", "", "spring"), ("notes", "after 6 pm", "call <after> 7"))),
    Event(moment(7), "merge", 1, {"status": "new"}, {"merged": 9, "details": {}, "set_aside": []}),
    Event(moment(7), "merged_into", 1, "new", {"keeper": 9}),
    Event(moment(7), "not_duplicate", 3, None, {"other": 9}),
    *(Event(moment(8), kind, actor) for kind, actor in (
        ("close:spam", 1), ("close:not_interested", 3), ("close:no_response", None),
        ("hand_back", 2), ("hold", 1), ("resume", 3), ("unmerge", 1), ("nag", None),
        ("escalate", None), ("escalation:reassign", 1), ("escalation:remind", 3),
        ("escalation:more_time", 1), ("auto_handover", None), ("auto_close", None),
        ("no_answer_close", None), ("reassign", 1), ("ask_update", 1), ("message_holder", 3), ("leaver", 9))),
    Event(moment(9), "meeting", 2, None, (NOW + timedelta(days=2)).isoformat()),
    *(Event(moment(9), kind.value, 2, None, "a <line>") for kind in NoteKind),
    Event(moment(9), "milestone", 1, None, "reads_bible"),
    Event(moment(9), "milestone_off", 2, None, "baptized"),
)


def screen(viewer: Member, in_private: bool, seen: Contact, view: CardView | None = None,
           earlier: int = 0) -> Screen:
    """The screen open_screen builds: what `viewer` may read and do here, by the real rules."""
    shown = visibility(seen, viewer, in_private)
    full = shown is Visibility.FULL
    return Screen(seen, shown, screen_actions(seen, viewer, shown, seen.status in DISPATCHABLE),
                  view or card(seen.status, contact=seen), Timeline(EVENTS, earlier), NAMES,
                  editable_fields(seen, viewer) if full else ())


WAITING = contact(area_key="podil", dispatch_note="moved <away>", card_held=True, created_by=4)
HELD_BY_ANNA = contact(Status.REACHED, assignee_id=2, stage_changed_at=AGO, created_by=4,
                       update_requested_at=AGO, update_requested_by=1)
HELD_CARD = card(Status.REACHED, (ACCEPTED,), assignee=ANNA, contact=HELD_BY_ANNA)
#: Screens with buttons: every role of viewer, each stage the actions depend on.
SCREENS = [
    screen(BOSS, True, WAITING),  # full, with suggestions; dispatch, show card, edit
    screen(BOSS, False, WAITING),  # the team chat: the card; dispatch, show card
    screen(OLGA, True, contact(Status.OFFERED), card(Status.OFFERED, (offer(),))),  # withdraw
    screen(OLGA, True, contact(Status.ON_HOLD), card(Status.ON_HOLD)),  # resume, close
    screen(ANNA, True, HELD_BY_ANNA, HELD_CARD, earlier=7),  # the holder: stages, edit
    screen(OLGA, True, HELD_BY_ANNA, HELD_CARD),  # a dispatcher on a held contact: edit
    screen(OLEH, True, contact(created_by=4, area_key=None)),  # the operator who entered it
]
#: Screens without buttons.
BARE_SCREENS = [
    screen(OLEH, False, HELD_BY_ANNA, HELD_CARD, earlier=1),  # the team chat: no details
    screen(ANNA, False, contact(Status.MERGED, merged_into=9), card(Status.MERGED, merge_id=3)),
    screen(BOSS, True, contact(Status.CLOSED, close_reason="no_response"),
           card(Status.CLOSED, contact=contact(Status.CLOSED, close_reason="no_response"))),
]

#: A page of contacts as the lists show them: waiting, offered, held (overdue, not
#: responding, by someone since gone), a seeker with only a long name.
PAGE_CONTACTS = [
    numbered(12),
    numbered(13, Status.OFFERED),
    numbered(14, Status.ACCEPTED, assignee_id=2, stage_changed_at=AGO),
    numbered(15, Status.ATTEMPTED, assignee_id=2, nag_count=2, stage_changed_at=AGO),
    numbered(16, Status.REACHED, assignee_id=3, escalated_at=NOW),
    numbered(17, Status.MET, assignee_id=9),
    numbered(18, Status.ON_HOLD),
    numbered(19, Status.CLOSED, close_reason="spam"),
    numbered(20, details=ContactDetails(name="Alexandra-Konstantina-Maximiliana Wolkenstein",
                                        phone="+390612345678")),
    numbered(21, details=ContactDetails(name="<b>Ivan</b>", tg_username="ivan_b")),
]
#: /my: a multiplier's own contacts, by stage.
MINE = [numbered(30 + i, stage, assignee_id=2, stage_changed_at=AGO - timedelta(days=i))
        for i, stage in enumerate((Status.ACCEPTED, *FOLLOW_UP_STAGES))] \
    + [numbered(40, Status.REACHED, assignee_id=2)]  # no stage change recorded: since created
MINE.sort(key=lambda c: [Status.ACCEPTED, *FOLLOW_UP_STAGES].index(c.status))
TALKS = {30: RelayStatus.SEEKER_REPLIED, 31: RelayStatus.NOT_RESPONDING}
BATCH = Batch(3, "csv:leads <May>.csv", AGO, 14)


def listing(contacts: list[Contact], flt: ContactFilter = ContactFilter(), number: int = 0,
            total: int | None = None, batch: Batch | None = None) -> Listing:
    total = len(contacts) if total is None else total
    return Listing(flt, encode(flt), contacts, number, max(1, -(-total // 10)), total, NAMES,
                   AREAS, batch)


LISTINGS = [
    listing(PAGE_CONTACTS[:3]),  # every open contact, one page
    listing(PAGE_CONTACTS, ContactFilter(stages=frozenset({Status.MET, Status.REACHED}),
                                         multiplier_id=2, area_key="podil", overdue=True,
                                         source="<csv>"), 0, 21),  # the first of three pages
    listing(PAGE_CONTACTS, ContactFilter(multiplier_id=9, area_key="gone"), 1, 25),  # middle
    listing(PAGE_CONTACTS[:1], ContactFilter(stages=frozenset({Status.NEW})), 2, 21),  # last
    listing(PAGE_CONTACTS, ContactFilter(batch_id=3), 0, 14, BATCH),  # arrived together
    listing(PAGE_CONTACTS[:2], ContactFilter(batch_id=4), 0, 2, Batch(4, "api:webform", AGO, 2)),
]
EMPTY_LISTING = listing([], ContactFilter(source="nothing like it"))
CHANNELS = ("csv:leads <May>.csv", "api:webform", "form:spring", "csv:", "manual")

DEPARTURES = [Departure("Anna <A>", left, tuple(range(12, 12 + n)), tuple(range(40, 40 + m)))
              for left in (True, False) for n, m in ((1, 0), (0, 1), (2, 5), (21, 2), (5, 21))]

#: Function (module.name) -> argument tuples it is rendered with.
SAMPLES: dict[str, list[tuple[Any, ...]]] = {
    # texts
    "texts.fit": [("line\n" * 1000,), ("short",)],
    "texts.summary": [(DETAILS,), (ContactDetails(name="X"),)],
    "texts.card": [(v, NOW) for v in CARDS],
    "texts.status_line": [(v, NOW) for v in CARDS],
    "texts.suggestions": [(v, NOW) for v in CARDS],
    "texts.explanation": [(EXPLANATION, NOW), (EMPTY_EXPLANATION, NOW)],
    "texts.auto_handover": [(card(contact=contact(auto_tries=n)), why) for n in COUNTS
                            for why in ("tries",)]
                           + [(card(), why) for why in ("unserved", "unknown_area", "duplicate",
                                                        "nobody", "off")],
    "texts.offer_question": [(contact(), days) for days in COUNTS],
    "texts.details": [(contact(Status.ACCEPTED), ACCEPTED, "America/New_York"),
                      (contact(Status.ACCEPTED), None, "Europe/Kyiv")],
    "texts.joined_notice": [(ANNA, Role.MULTIPLIER), (OLEH, Role.OPERATOR)],
    "texts.member_line": [(BOSS,), (Member(id=9, tg_user_id=9, name="Ex", active=False),)],
    "texts.nag": [(HELD, AGO, NOW)],
    "texts.escalation": [(HELD, ANNA, n) for n in COUNTS],
    "texts.offer_expired_dm": [()],
    "texts.offer_expired_notice": [(contact(), "Anna")],
    "texts.unreachable_notice": [("Anna",)],
    "texts.auto_closed_notice": [(contact(Status.CLOSED),)],
    "texts.offer_withdrawn_dm": [()],
    "texts.offer_closed_dm": [()],
    "texts.new_contact_notice": [(contact(),)],
    "texts.declined_notice": [(contact(), "Anna")],
    "texts.handed_back_notice": [(contact(dispatch_note="moved <away>"), "Anna")],
    "texts.stage_saved": [(contact(stage, assignee_id=2),) for stage in FOLLOW_UP_STAGES],
    # labels
    "labels.locale": [()],
    "labels.status": [(s,) for s in Status],
    "labels.close_reason": [(r,) for r in ("spam", "invalid", "no_response", "not_interested",
                                           "no_answer")],
    "labels.decline_reason": [(r,) for r in (*DeclineReason, None)],
    "labels.gender": [(g, short) for g in Gender for short in (False, True)],
    "labels.availability": [(a,) for a in Availability],
    "labels.role": [(r,) for r in Role],
    "labels.language": [(c,) for c in ("ru", "uk", "it", "en", "", "xx-nonsense")],
    "labels.match_reason": [(r, SUGGESTION, "ru", NOW) for r in Reason]
                           + [(Reason.WAITING_LONGEST, Suggestion(ANNA, 1.0, 0, ()), "ru", NOW)],
    "labels.reliability": [(TRACK,), (Track(offers=1, recent_nags=1),)],
    "labels.exclusion": [(e, CANDIDATE, "it") for e in Exclusion],
    "labels.offer_outcome": [(offer(s),) for s in OfferStatus] + [(DECLINED,)],
    "labels.percent": [(0.0,), (0.905,), (1.0,)],
    "labels.decimal": [(1.5,), (7.25, "0.0"), (20.0,)],
    "labels.duration": [(timedelta(seconds=40),), (timedelta(hours=2),), (timedelta(days=9),)],
    "labels.span": [(None, timedelta(hours=1)), (timedelta(hours=4), timedelta(days=1)),
                    (timedelta(days=3), None)],
    "labels.duplicate_reason": [(r,) for r in DupReason],
    "labels.error": [(NotFound(),), (NotFound("area"),), (InvalidInput(),),
                     (UnknownPlaces("Pdl, <Obln>"),), (DomainError(),), (NotAllowed(),),
                     (NoLongerAvailable(),), (AlreadyDone(),), (AlreadyAsked(),),
                     (NoLongerYours(),), (NotYours(),), (HeldByMultiplier("view"),),
                     (HeldByMultiplier("edit"),), (HolderFieldsOnly(),), (PrivateOnly(),),
                     (UnknownFilterWord("<zzz>"),), (AmbiguousFilterWord("Anna"),)],
    "labels.filter_word_problem": [(UnknownFilterWord("<zzz>"),),
                                   (AmbiguousFilterWord("Anna <A>"),)],
    "labels.contact_field": [(name,) for name in (*EDIT_FIELDS, "something_new")],
    "labels.moment": [(NOW, "Europe/Kyiv"), (NOW, "America/New_York"), (AGO, "UTC")],
    "labels.ago": [(AGO, NOW), (NOW, AGO)],
    "labels.date": [(NOW, ZoneInfo("Europe/Kyiv")), (NOW, ZoneInfo("America/New_York"))],
    "labels.day": [(NOW,), (NOW.date(),)],
    "labels.clock_time": [(time(9, 0),), (time(17, 30),)],
    "labels.when": [(NOW, "Europe/Kyiv"), (NOW, "America/New_York")],
    # digests, reports, supply
    "digest_texts.dispatcher": [(DIGEST, NOW), (DispatcherDigest(), NOW)],
    "digest_texts.multiplier": [(MY_DIGEST, NOW, "Europe/Rome")],
    "digest_texts.operator": [(OPERATOR_DIGEST,)],
    "digest_texts.outcome": [(e,) for e in OUTCOMES],
    "texts.undispatched_alarm": [(contact(), n) for n in COUNTS],
    "texts.undispatched_alarms": [([contact()] * n, 6) for n in (1, 6, 25)],
    "report_texts.auto_name": [()],
    "report_texts.period_label": [(REPORT, ZoneInfo("Europe/Kyiv")),
                                  (ONE_DAY_REPORT, ZoneInfo("Europe/Kyiv"))],
    "report_texts.summary": [(REPORT, ZoneInfo("Europe/Kyiv")),
                             (ONE_DAY_REPORT, ZoneInfo("UTC"))],
    "report_texts.chart_text": [(REPORT, ZoneInfo("Europe/Kyiv")),
                                (ONE_DAY_REPORT, ZoneInfo("UTC"))],
    "report_texts.table": [(REPORT,)],
    "report_texts.source_line": [(f,) for f in REPORT.sources],
    "report_texts.coaching_line": [(COACHING,)],
    "report_texts.area_chart_text": [(REPORT, ZoneInfo("Europe/Kyiv"), {"podil": "Podil"}),
                                     (ONE_DAY_REPORT, ZoneInfo("UTC"), {})],
    "supply_texts.text": [(SUPPLY, {"podil": "Podil"}), (EMPTY_SUPPLY, {})],
    "supply_texts.weekly": [(SUPPLY, {"podil": "Podil"}), (EMPTY_SUPPLY, {})],
    "supply_texts.csv_rows": [(SUPPLY, {"podil": "Podil"})],
    # seekers' conversations
    "conversation_texts.greeting": [()],
    "conversation_texts.slow_down": [()],
    "conversation_texts.too_long": [(n,) for n in (1, 4, 50, 4000)],
    "conversation_texts.too_big": [(20.0,), (0.5,)],
    "conversation_texts.unsupported": [()],
    "conversation_texts.kind_label": [(k,) for k in Kind],
    "conversation_texts.relay_status": [(s,) for s in RelayStatus if s is not RelayStatus.NONE],
    "conversation_texts.triage_card": [(triage_card(t, n), NOW) for t in Triage
                                       for n in (1, 3)],
    "conversation_texts.claimed_conversation": [(triage_card(Triage.CLAIMED),)],
    "conversation_texts.triage_keyboard": [(triage_card(t),) for t in (Triage.NEW,
                                                                       Triage.CLAIMED)],
    "conversation_texts.relay_header": [(conversation(), 12), (conversation(), None)],
    "conversation_texts.relayed": [(conversation(), 12, "a" * 2000, 1024),
                                   (conversation(), 12, "new words", 1024, True),
                                   (conversation(), 12, None, 1024)],
    "conversation_texts.intro": [(conversation(Triage.CONTACT), 12, MESSAGES)],
    "conversation_texts.share_keyboard": [(7,)],
    "conversation_texts.handoff": [("Anna Koval", 3, False), ("Olga", 1, True)],
    "conversation_texts.satisfaction_question": [(7,)],
    "conversation_texts.satisfaction_thanks": [(True,), (False,)],
    "conversation_texts.unsatisfied_note": [(HELD, member(2, Role.MULTIPLIER), silent)
                                            for silent in (False, True)],
    "conversation_texts.shared_contact": [("Anna <A>", "anna")],
    "conversation_texts.not_responding": [(conversation(), 12, AGO, NOW)],
    "conversation_texts.closed_no_answer": [(conversation(), 12)],
    "conversation_texts.relay_failed": [(conversation(),)],
    # imports and duplicates
    "import_texts.field_problem": [(c,) for c in (
        "required", "too_long", "empty", "phone", "email", "username", "gender", "language",
        "reach", "cell_too_long", "unreadable", "not_imported", "something_new")],
    "import_texts.error_line": [(FieldError("phone", "phone"),)],
    "import_texts.reason": [(IMPORT.refused[0],)],
    "import_texts.table_problem": [(c,) for c in (
        "quote:3", "csv:4", "empty", "encoding", "no_name_column", "no_reach_column")],
    "importing.imported_notice": [(n, "leads <1>.csv") for n in COUNTS],
    "importing.summary": [(IMPORT,), (ONE_REFUSED,)],
    "importing.refused_document": [(TABLE, IMPORT)],
    "duplicate_texts.reasons": [(tuple(DupReason),)],
    "duplicate_texts.touch_notice": [(contact(), MATCH, reader) for reader in ("assignee", "team")],
    "duplicate_texts.merge_notice": [(kind, contact(), contact(), holder)
                                     for kind in ("offer_withdrawn", "kept", "given")
                                     for holder in (ANNA, None)],
    "duplicate_texts.pending_list": [([(SUSPECT, contact(), contact())],), ([],)],
    "duplicate_texts.missed_notice": [(n,) for n in COUNTS],
    "duplicate_texts.undo_refused": [()],
    # help, offers, keyboards
    "help.help_text": [(None,), (BOSS,), (OLGA,), (ANNA,), (OLEH,)],
    "offers.offer_message": [(offer(), contact())],
    "keyboards.card": [(v,) for v in CARDS[:7]],
    "keyboards.merge_choices": [(12, 1, 9, {2: "Anna", 3: "Olga"}), (12, 1, 9, {})],
    "keyboards.other": [(12, [CANDIDATE, Candidate(OLGA, 0)], {3})],
    "keyboards.close": [(12,)],
    "keyboards.offer_days": [(12,)],
    "keyboards.open_contact": [(12,)],
    "keyboards.offer": [(5,)],
    "keyboards.why": [(5,)],
    "keyboards.stages": [(12, s) for s in (Status.ACCEPTED, Status.MET)],
    "keyboards.escalation": [(12,)],
    "keyboards.open_cards": [([12, 13],)],
    "texts.detail_rows": [(contact().details,)],
    "keyboards.reassign_confirm": [(12, 2, "Anna <A>")],
    "keyboards.held_close": [(12, 2)],
    "keyboards.ask_without_note": [(12, 2)],
    "keyboards.contact_screen": [(s,) for s in SCREENS],
    "keyboards.edit_fields": [(12, EDIT_FIELDS), (12, HOLDER_FIELDS)],
    "keyboards.edit_choices": [(12, "gender", ("ru", "uk")), (12, "language", ()),
                               (12, "language", ("ru", "uk", "it", "en", "pl"))],
    "keyboards.contact_list": [(page,) for page in LISTINGS],
    "keyboards.my_list": [(MINE, 0, 1), (MINE[:2], 0, 3), (MINE, 1, 3), (MINE[:1], 2, 3)],
    "keyboards.queue_open": [([12],), (list(range(1, 100)),)],
    "keyboards.burst": [(3,)],
    # a contact's screen, the lists, editing after intake
    "screen_texts.screen": [(s, zone, NOW) for s in (*SCREENS, *BARE_SCREENS)
                            for zone in ("Europe/Kyiv", "America/New_York")],
    "screen_texts.event": [(e, s, AREAS) for e in EVENTS for s in (SCREENS[0], BARE_SCREENS[0])],
    "screen_texts.shown": [(name, value) for name, value in (
        ("name", "Maria <Ivanova>"), ("phone", "+380441234567"), ("phone", None),
        ("tg_username", "maria_i"), ("email", ""), ("gender", "f"), ("gender", "m"),
        ("gender", "u"), ("language", "uk"), ("language", "xx-nonsense"),
        ("notes", "after <6> pm"))],
    "screen_texts.who": [(DETAILS, True), (DETAILS, False), (ContactDetails(name="Олег"), True),
                         (ContactDetails(name="<b>Ivan</b> Petrov"), False)],
    "screen_texts.entry": [(c, NAMES, full) for c in PAGE_CONTACTS for full in (True, False)],
    "screen_texts.listing": [(page, full) for page in (*LISTINGS, EMPTY_LISTING)
                             for full in (True, False)],
    "screen_texts.describe": [(page,) for page in (*LISTINGS, EMPTY_LISTING)],
    "screen_texts.source_name": [(channel,) for channel in CHANNELS],
    "screen_texts.my_page": [(MINE, TALKS, 0, 1, "Europe/Kyiv", NOW),
                             (MINE[:3], {}, 1, 3, "America/New_York", NOW)],
    "screen_texts.burst_summary": [(n, channel) for n in COUNTS[1:] for channel in CHANNELS],
    "screen_texts.edit_menu": [(contact(),)],
    "screen_texts.edit_prompt": [(c, name) for name in EDIT_FIELDS
                                 for c in (contact(), numbered(13, details=ContactDetails("X")))],
    "screen_texts.edit_problem": [(code,) for code in (
        "phone", "email", "username", "too_long", "reach", "required", "empty", "language",
        "gender", "field")],
    "screen_texts.edited": [(contact(), name, changed) for name in EDIT_FIELDS
                            for changed in (True, False)],
    "screen_texts.edited_notice": [(contact(Status.REACHED, assignee_id=2), name, "Boss <B>")
                                   for name in EDIT_FIELDS],
    "screen_texts.reader_zone": [(ANNA, True, "Europe/Kyiv"), (ANNA, False, "Europe/Kyiv"),
                                 (None, True, "Europe/Rome"),
                                 (replace(OLGA, timezone=None), True, "Europe/Rome")],
    # the dispatchers' control over held contacts, leavers
    "holding_texts.ask_prompt": [(HELD, "Anna <A>")],
    "holding_texts.message_prompt": [(HELD, "Anna <A>")],
    "holding_texts.asked": [(12, "Anna <A>")],
    "holding_texts.sent": [("Anna <A>",)],
    "holding_texts.ask_message": [(contact(stage, assignee_id=2), "Boss <B>", note)
                                  for stage in (Status.ACCEPTED, *FOLLOW_UP_STAGES)
                                  for note in ("", "Please call her <today>")],
    "holding_texts.relayed_note": [(HELD, "Boss <B>", "She moved.\nCall after 6 <pm>")],
    "holding_texts.released_notice": [(contact(Status.CLOSED, close_reason=reason),
                                       Release.CLOSED) for reason in HELD_CLOSE_REASONS]
                                     + [(contact(), how) for how in (*Release, None)
                                        if how is not Release.CLOSED],
    "holding_texts.released_message": [(contact(Status.CLOSED, close_reason="spam"), how)
                                       for how in (*Release, None)],
    "holding_texts.left_note": [("Anna <A>", left, stage) for left in (True, False)
                                for stage in sorted(ASSIGNED_STATUSES, key=list(Status).index)],
    "holding_texts.departure": [(d,) for d in DEPARTURES],
    # web lead forms
    "form_page.closed_page": [()],
    "form_page.default_consent": [()],
    "form_page.default_greeting": [()],
    "form_page.default_thanks": [()],
    "form_page.field_label": [(f, form) for f in FormField for form in (FORM, BARE_FORM)],
    "form_page.form_page": [(PAGE, "1.a.b"),
                            (Page(BARE_FORM, True, Choices({}, ()), ""), "1.a.b"),
                            (PAGE, "1.a.b", {"name": "<x>", "phone": "12", "area": "podil"},
                             [FieldError("phone", "phone"), FieldError("consent", "required")]),
                            (PAGE, "1.a.b", {}, [], "Wait")],
    "form_page.not_found_page": [()],
    "form_page.notice": [(r,) for r in ("rate", "stale", "honeypot", "token", "too_fast")],
    "form_page.refused_page": [("too_large",), ("unreadable",)],
    "form_page.thanks_page": [(FORM, "dispatch_bot"), (BARE_FORM, None)],
    "form_texts.ask": [(which, FORM) for which in ("greeting", "thanks", "consent", "question",
                                                   "source_tag")],
    "form_texts.delete_keyboard": [(FORM,)],
    "form_texts.delete_question": [(FORM,)],
    "form_texts.deleted": [(FORM,)],
    "form_texts.embed": [(FORM, "https://forms.example.org"), (FORM, "")],
    "form_texts.field_name": [(f,) for f in FormField],
    "form_texts.forms_list": [(LISTED,), ([],)],
    "form_texts.list_keyboard": [(LISTED,)],
    "form_texts.no_server": [()],
    "form_texts.panel": [(FORM, "https://forms.example.org"), (BARE_FORM, "")],
    "form_texts.panel_keyboard": [(FORM,), (BARE_FORM,)],
    "form_texts.qr_caption": [(FORM, "https://forms.example.org")],
    "form_texts.refusal": [(InvalidInput(code), "spring") for code in (
        "slug", "name_always", "reach", "too_long")] + [(NotFound("web_form"),)],
    "form_texts.state": [(FORM,), (BARE_FORM,)],
    "form_texts.text_name": [(w,) for w in ("greeting", "thanks", "consent", "question",
                                             "source_tag")],
    "form_texts.usage": [()],
    # /language
    "language_texts.ask_member": [()],
    "language_texts.ask_team": [()],
    "language_texts.choices": [("uk",), ("",)],
    "language_texts.member_set": [(code,) for code in ("en", "ru", "uk", "it")],
    "language_texts.native_name": [(code,) for code in ("en", "ru", "uk", "it")],
    "language_texts.only_admins": [()],
    "language_texts.team_set": [("ru",)],
    "language_texts.unknown": [("<pl>",)],
    # the seeker's record
    "keyboards.meeting_days": [(12, [NOW.date() + timedelta(days=i) for i in range(7)])],
    "keyboards.meeting_hours": [(12, NOW.date())],
    "keyboards.milestones": [(12, list(MILESTONES_SEEN)), (12, [])],
    "keyboards.skip": [(12,)],
    "labels.date_in": [(NOW, "Europe/Kyiv")],
    "labels.milestone": [(m,) for m in Milestone],
    "labels.weekday": [(NOW.date(),)],
    "record_texts.ask_day": [(contact(),)],
    "record_texts.ask_hour": [(12, "Sat 28 Nov")],
    "record_texts.ask_note": [(contact(), kind) for kind in NoteKind],
    "record_texts.card_lines": [(MET_WITH_RECORD, MILESTONES_SEEN, NOW)],
    "record_texts.full_lines": [(MET_WITH_RECORD, MILESTONES_SEEN, "Europe/Kyiv"),
                                (contact(), (), "UTC")],
    "record_texts.event": [(e, "Anna", "Europe/Kyiv", full) for e in EVENTS[-6:]
                           for full in (True, False)],
    "record_texts.meeting_saved": [(MET_WITH_RECORD, "America/New_York")],
    "record_texts.milestones_menu": [(MET_WITH_RECORD, list(MILESTONES_SEEN), "Europe/Kyiv")],
    "report_texts.milestones": [({Milestone.BELIEVES: 2, Milestone.IN_GROUP: 1},)],
}


# --- rendering -------------------------------------------------------------------------------


def view_functions() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a views module, by `module.name`."""
    found = {}
    for info in pkgutil.iter_modules(views.__path__):
        module = importlib.import_module(f"views.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{info.name}.{name}"] = function
    return found


def returns_text(function: Callable[..., Any]) -> bool:
    """Annotated to return a text, a keyboard (its buttons are words) or the chart's words."""
    annotation = inspect.signature(function).return_annotation
    options = get_args(annotation) if isinstance(annotation, UnionType) else (annotation,)
    return any(inspect.isclass(getattr(o, "__origin__", o))
               and issubclass(getattr(o, "__origin__", o), TEXT_RETURNS) for o in options)


def needs_samples() -> dict[str, Callable[..., Any]]:
    return {name: f for name, f in view_functions().items() if name not in NOT_TEXT
            and (returns_text(f) or name.split(".")[0] in TEXT_MODULES)}


def strings(result: Any) -> list[str]:
    """The words a result shows: a text, a tuple's parts, a keyboard's buttons, the chart's
    labels, the cells of a CSV table."""
    if isinstance(result, str):
        return [result]
    if isinstance(result, InlineKeyboardMarkup):
        return [button.text for row in result.inline_keyboard for button in row]
    if isinstance(result, ChartText):
        return [text for f in fields(result) for text in _chart_words(getattr(result, f.name))]
    if isinstance(result, tuple | list):
        return [str(part) for part in result]
    return [str(result)] if result is not None else []


def _chart_words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [row[0] for row in value if isinstance(row[0], str)]


def render_all(i18n: I18n, locale: str) -> list[str]:
    """Render every sample in `locale`; the failures, one line each."""
    failures = []
    with i18n.context(), i18n.use_locale(locale):
        for name, function in needs_samples().items():
            for args in SAMPLES.get(name, []):
                try:
                    shown = strings(function(*args))
                except Exception as exc:  # any exception is what this test looks for
                    failures.append(f"{locale}: {name}: {type(exc).__name__}: {exc}")
                    continue
                if not shown or not all(s.strip() for s in shown):
                    failures.append(f"{locale}: {name}: an empty text from {args!r:.120}")
    return failures


def shipped_locales() -> list[str]:
    return ["en", *check_catalogues.shipped(LOCALES)]


# --- tests -----------------------------------------------------------------------------------


def test_every_text_function_has_samples() -> None:
    missing = sorted(set(needs_samples()) - set(SAMPLES))
    assert not missing, f"add sample arguments to SAMPLES for: {', '.join(missing)}"
    unknown = sorted(set(SAMPLES) - set(view_functions()))
    assert not unknown, f"SAMPLES names functions that no longer exist: {', '.join(unknown)}"


def test_the_required_modules_are_covered() -> None:
    """The modules the catalogue work named must be walked, not silently skipped."""
    covered = {name.split(".")[0] for name in needs_samples()}
    assert set(TEXT_MODULES) <= covered


@pytest.mark.parametrize("locale", shipped_locales())
def test_every_text_renders(locale: str) -> None:
    i18n = I18n(path=LOCALES, default_locale="en", domain="messages")
    assert locale == "en" or locale in i18n.available_locales  # its .mo is there and loads
    failures = render_all(i18n, locale)
    assert not failures, "\n".join(failures)


def pseudo_catalogue(locales: Path, lang: str, broken: str | None = None) -> None:
    """A catalogue of `lang` made from messages.pot: every msgstr is its msgid marked with
    the form number, so a rendered text shows which catalogue and form it came from.
    `broken` names a msgid whose translation gets a placeholder the code never passes."""
    template = check_catalogues.read_catalogue(LOCALES / "messages.pot")
    catalog = Catalog(locale=lang, domain="messages", creation_date=NOW)
    for message in template:
        if not message.id:
            continue
        english = check_catalogues.forms(message.id)
        if isinstance(message.id, tuple):
            string: Any = tuple(f"[{lang}{i}] {english[min(i, 1)]}"
                                for i in range(catalog.num_plurals))
        else:
            string = f"[{lang}] {message.id}" + (" {oops}" if message.id == broken else "")
        catalog.add(message.id, string, context=message.context)
    po = locales / lang / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with open(po, "wb") as fp:
        write_po(fp, catalog)
    po.with_suffix(".mo").write_bytes(check_catalogues.compile_po(po, lang))


def test_a_new_catalogue_is_found_and_every_text_renders_in_it(tmp_path: Path) -> None:
    pseudo_catalogue(tmp_path, "ru")
    assert list(check_catalogues.shipped(tmp_path)) == ["ru"]
    i18n = I18n(path=tmp_path, default_locale="en", domain="messages")
    assert render_all(i18n, "ru") == []
    with i18n.context(), i18n.use_locale("ru"):
        assert SAMPLES and texts.offer_question(contact(), 1).startswith("[ru0] ")
        assert texts.offer_question(contact(), 3).startswith("[ru1] ")
        assert texts.offer_question(contact(), 5).startswith("[ru2] ")
        assert labels.percent(0.5) == "50\xa0%"  # Babel in the reader's locale


def test_a_translation_that_breaks_formatting_is_caught(tmp_path: Path) -> None:
    pseudo_catalogue(tmp_path, "it", broken="Source: {source}")
    i18n = I18n(path=tmp_path, default_locale="en", domain="messages")
    failures = render_all(i18n, "it")
    assert failures and all("KeyError: 'oops'" in f for f in failures)
