"""Button payloads. Each is a CallbackData class (64-byte limit); ids only, never trusted:
every press is re-checked against the database and the presser."""

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from domain.contacts import CloseReason, Status
from domain.conversations import TriageAction
from domain.milestones import Milestone
from domain.numbers import DB_INT_MAX
from domain.offers import DeclineReason
from domain.roles import Role

#: An id a button carries: a forged one past the database's integer is malformed (the press
#: is answered "out of date or invalid"), not an overflow in the driver.
DbId = Annotated[int, Field(ge=0, le=DB_INT_MAX)]


class CardAction(CallbackData, prefix="card"):
    """Dispatcher buttons on a team card: other, why, hold, resume, close, back."""

    action: str
    contact_id: DbId


class MapArea(CallbackData, prefix="map"):
    """One of the card's guesses for a place not on the list (domain.areas.key_tag)."""

    contact_id: DbId
    tag: str


class PickLanguage(CallbackData, prefix="lang"):
    """/language: a shipped locale (checked again on the press)."""

    code: str


class OfferTo(CallbackData, prefix="offer"):
    contact_id: DbId
    member_id: DbId


#: Days a button carries (the use case checks them against domain.offers.DAY_CHOICES).
Days = Annotated[int, Field(ge=0, le=30)]


class OfferDays(CallbackData, prefix="od"):
    """*Offer…* on a card: the days chosen, next the multiplier."""

    contact_id: DbId
    days: Days


class OfferFor(CallbackData, prefix="of"):
    """An offer for the days the dispatcher chose (OfferTo: the team's default days)."""

    contact_id: DbId
    member_id: DbId
    days: Days


class CloseAs(CallbackData, prefix="close"):
    contact_id: DbId
    reason: CloseReason


class Withdraw(CallbackData, prefix="wd"):
    offer_id: DbId


class Answer(CallbackData, prefix="ans"):
    offer_id: DbId
    yes: bool


class Why(CallbackData, prefix="why"):
    offer_id: DbId
    reason: DeclineReason


class Stage(CallbackData, prefix="stage"):
    contact_id: DbId
    stage: Status


class MeetDay(CallbackData, prefix="md"):
    """A day for the scheduled meeting (its ordinal, in the holder's calendar): then the hour."""

    contact_id: DbId
    day: Annotated[int, Field(ge=1, le=3_652_059)]


class MeetAt(CallbackData, prefix="mt"):
    contact_id: DbId
    day: Annotated[int, Field(ge=1, le=3_652_059)]
    hour: Annotated[int, Field(ge=0, le=23)]


class NoteSkip(CallbackData, prefix="ns"):
    """Skip the note, the place or the result the bot asked for after a stage."""

    contact_id: DbId


class Milestones(CallbackData, prefix="ms"):
    """Open the faith milestones of a held contact (the holder, a dispatcher, an admin)."""

    contact_id: DbId


class Tick(CallbackData, prefix="mk"):
    """Tick a milestone (or untick it: a second press)."""

    contact_id: DbId
    milestone: Milestone


class HandBack(CallbackData, prefix="back"):
    contact_id: DbId


class InviteRole(CallbackData, prefix="inv"):
    role: Role


class MemberAction(CallbackData, prefix="mbr"):
    """Admin buttons in /team: open a member, toggle a role, (de)activate."""

    action: str
    member_id: DbId
    role: str = ""


class ProfileEdit(CallbackData, prefix="pf"):
    field: str
    value: str = ""


ALL: list[type[CallbackData]] = [
    CardAction, OfferTo, OfferDays, OfferFor, CloseAs, Withdraw, Answer, Why, Stage, HandBack, InviteRole,
    MemberAction, ProfileEdit,
]


class IntakePick(CallbackData, prefix="new"):
    """A pick-list answer in the /new dialog (gender, language)."""

    field: str
    value: str


class Escalation(CallbackData, prefix="esc"):
    """A dispatcher's answer to 'multiplier not responding': reassign, remind, more_time."""

    contact_id: DbId
    action: str


class OpenCard(CallbackData, prefix="open"):
    """From a digest: show the contact's card with its dispatch buttons."""

    contact_id: DbId


ALL += [IntakePick, Escalation, OpenCard, MapArea]


class TriageAct(CallbackData, prefix="tri"):
    """An operator's button on a seeker's triage card: claim, spam, read, contact."""

    conversation_id: DbId
    action: TriageAction


class ShareContact(CallbackData, prefix="share"):
    """A multiplier reveals their own @username to the seeker of this conversation."""

    conversation_id: DbId


ALL += [TriageAct, ShareContact]


class Dup(CallbackData, prefix="dup"):
    """On a card with a possible duplicate: merge (asks for choices if any) or dismiss."""

    action: str  # merge | dismiss
    suspect_id: DbId
    contact_id: DbId  # the card it was pressed on


class DupMerge(CallbackData, prefix="dm"):
    """The dispatcher's choices for a merge: which values win, who keeps the seeker."""

    suspect_id: DbId
    contact_id: DbId
    prefer: str  # domain.merge.Prefer
    keep_with: DbId = 0  # multiplier id when two multipliers held the two records


class UndoMerge(CallbackData, prefix="um"):
    merge_id: DbId


ALL += [Dup, DupMerge, UndoMerge]


class HeldStep(StrEnum):
    ASK = "ask"  # ask the holder for an update: opens the note dialog
    ASK_SEND = "ask_send"  # ... send it without a note
    MESSAGE = "message"  # a one-off message to the holder: opens the dialog
    REASSIGN = "reassign"  # asks to confirm
    REASSIGN_YES = "reassign_yes"
    CLOSE = "close"  # shows the close reasons


class Held(CallbackData, prefix="held"):
    """A dispatcher's button on a held contact's card (and its dialogs). It names the holder
    the card showed: if someone else holds the contact by now, the press is stale."""

    step: HeldStep
    contact_id: DbId
    holder_id: DbId


class HeldClose(CallbackData, prefix="hc"):
    """Close a held contact with this reason (domain.contacts.HELD_CLOSE_REASONS)."""

    contact_id: DbId
    holder_id: DbId
    reason: CloseReason


ALL += [Held, HeldClose]


class FormAct(CallbackData, prefix="wf"):
    """/form buttons on a web form's panel: open, field (value: a domain.web_forms.Field),
    text (value: one of domain.web_forms.TEXTS), pause, resume, link, qr, delete, delete_yes,
    list."""

    action: str
    form_id: DbId
    value: str = ""


ALL += [FormAct]


#: Invite deep links: t.me/bot?start=join-<token>.
JOIN_PREFIX = "join-"


def is_well_formed(data: str | None) -> bool:
    """True if some button class could have produced this payload (then the presser was wrong)."""
    for cls in ALL:
        try:
            cls.unpack(data or "")
        except (ValueError, TypeError):
            continue
        return True
    return False


#: A page number a list button carries (a forged huge one is malformed, not a crash).
PageNo = Annotated[int, Field(ge=0, le=100_000)]


class ContactOpen(CallbackData, prefix="co"):
    """A contact's own screen, from a list, /queue or a burst's list."""

    contact_id: DbId


class ContactPage(CallbackData, prefix="cl"):
    """A page of /contacts; `code` is the filter as domain.contact_filters.encode made it."""

    code: str
    page: PageNo


class MyPage(CallbackData, prefix="my"):
    """A page of a multiplier's /my (their own contacts: nothing else to carry)."""

    page: PageNo


class BurstList(CallbackData, prefix="bl"):
    """A burst summary's button: the list of the contacts that arrived together."""

    batch_id: DbId


class ShowCard(CallbackData, prefix="sc"):
    """Post the team card a burst held back."""

    contact_id: DbId


class EditContact(CallbackData, prefix="ce"):
    """Edit a contact's details: choose a field (`field` empty), then its value."""

    contact_id: DbId
    field: str = ""


class EditPick(CallbackData, prefix="cp"):
    """A value picked from buttons while editing (gender, language)."""

    contact_id: DbId
    field: str
    value: str


ALL += [ContactOpen, ContactPage, MyPage, BurstList, ShowCard, EditContact, EditPick]


class Satisfied(CallbackData, prefix="sat"):
    """The seeker's answer to the satisfaction check (services.satisfaction)."""

    conversation_id: DbId
    helped: bool
