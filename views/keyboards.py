"""Inline keyboards. Texts are translated; payloads are CallbackData classes."""

from collections.abc import Callable, Iterable
from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.areas import key_tag
from domain.contact_access import Action
from domain.contact_edit import CLEAR
from domain.contacts import FOLLOW_UP_STAGES, HELD_CLOSE_REASONS, CloseReason, Contact, Status
from domain.matching import Candidate
from domain.members import Gender
from domain.meetings import MEETING_HOURS
from domain.merge import Prefer
from domain.milestones import MILESTONES, Reached
from domain.offers import DAY_CHOICES, DeclineReason
from services.cards import CardView
from services.contact_lists import Listing
from services.contact_screen import Screen
from views.keyboard_builder import Keyboard
from views import labels
from views.callbacks import (
    Answer,
    BurstList,
    CardAction,
    CloseAs,
    ContactOpen,
    ContactPage,
    Dup,
    DupMerge,
    EditContact,
    EditPick,
    Escalation,
    HandBack,
    Held,
    HeldClose,
    HeldStep,
    MapArea,
    MeetAt,
    MeetDay,
    Milestones,
    MyPage,
    NoteSkip,
    OfferDays,
    OfferFor,
    OfferTo,
    OpenCard,
    PoolAct,
    ShowCard,
    Stage,
    Tick,
    UndoMerge,
    Why,
    Withdraw,
)


def card(view: CardView) -> InlineKeyboardMarkup | None:
    kb = _dispatch_buttons(view)
    _duplicate_buttons(kb, view)
    return kb.as_markup() if list(kb.buttons) else None


def _duplicate_buttons(kb: Keyboard, view: CardView) -> None:
    """A row per possible duplicate (Merge / Not a duplicate); Undo on a merged-away record."""
    contact_id = view.contact.id
    for suspect in view.suspects:
        other = suspect.other_id if suspect.contact_id == contact_id else suspect.contact_id
        kb.row(
            InlineKeyboardButton(text=_("Merge with #{id}").format(id=other), callback_data=Dup(
                action="merge", suspect_id=suspect.id, contact_id=contact_id).pack()),
            InlineKeyboardButton(text=_("Not a duplicate of #{id}").format(id=other),
                                 callback_data=Dup(action="dismiss", suspect_id=suspect.id,
                                                   contact_id=contact_id).pack()),
        )
    if view.contact.status is Status.MERGED and view.merge_id:
        kb.row(InlineKeyboardButton(text=_("Undo merge"),
                                    callback_data=UndoMerge(merge_id=view.merge_id).pack()))


def merge_choices(contact_id: int, suspect_id: int, keeper_id: int,
                  holders: dict[int, str]) -> InlineKeyboardMarkup:
    """Who keeps the seeker (two multipliers), else which values win where the records differ."""
    kb = Keyboard()
    if holders:
        for member_id, name in holders.items():
            kb.button(text=_("Keep with {name}").format(name=name), callback_data=DupMerge(
                suspect_id=suspect_id, contact_id=contact_id, prefer=Prefer.NEWEST,
                keep_with=member_id))
    else:
        kb.button(text=_("Merge, newest values"), callback_data=DupMerge(
            suspect_id=suspect_id, contact_id=contact_id, prefer=Prefer.NEWEST))
        kb.button(text=_("Merge, keep #{id}'s values").format(id=keeper_id), callback_data=DupMerge(
            suspect_id=suspect_id, contact_id=contact_id, prefer=Prefer.KEEPER))
    kb.button(text=_("« Back"), callback_data=CardAction(action="back", contact_id=contact_id))
    kb.adjust(1)
    return kb.as_markup()


def _dispatch_buttons(view: CardView) -> Keyboard:
    contact = view.contact
    kb = Keyboard()
    if contact.status is Status.NEW:
        for s in view.suggestions:
            kb.button(text=_("Offer to {name}").format(name=s.member.name),
                      callback_data=OfferTo(contact_id=contact.id, member_id=s.member.id))
        guesses = view.area_guesses if view.area_unknown else ()
        for key in guesses:
            kb.button(text=_("📍 {area}?").format(area=view.areas.name(key)),
                      callback_data=MapArea(contact_id=contact.id, tag=key_tag(key)))
        kb.button(text=_("Other…"), callback_data=CardAction(action="other", contact_id=contact.id))
        kb.button(text=_("Offer for… days"),
                  callback_data=CardAction(action="days", contact_id=contact.id))
        kb.button(text=_("Why not…?"), callback_data=CardAction(action="why", contact_id=contact.id))
        kb.button(text=_("Hold"), callback_data=CardAction(action="hold", contact_id=contact.id))
        kb.button(text=_("Close…"), callback_data=CardAction(action="close", contact_id=contact.id))
        pool = _pool_button(kb, view)
        kb.adjust(*([1] * len(view.suggestions)), *([len(guesses)] if guesses else []), 2, 3,
                  *([1] if pool else []))
    elif contact.status is Status.OFFERED and view.pending_offer:
        kb.button(text=_("Withdraw offer"), callback_data=Withdraw(offer_id=view.pending_offer.id))
    elif contact.status is Status.ON_HOLD:
        kb.button(text=_("Resume"), callback_data=CardAction(action="resume", contact_id=contact.id))
        kb.button(text=_("Close…"), callback_data=CardAction(action="close", contact_id=contact.id))
    elif contact.is_assigned and view.assignee:
        _holder_buttons(kb, contact.id, view.assignee.id, view.assignee.name)
    return kb


def _pool_button(kb: Keyboard, view: CardView) -> bool:
    """Open to all (the team turned the open pool on), or close the pool that is open."""
    if view.pool_open:
        text, opening = _("🙋 Close the open pool"), False
    elif view.policy.open_pool:
        text, opening = _("🙋 Open to all nearby"), True
    else:
        return False
    kb.button(text=text, callback_data=PoolAct(contact_id=view.contact.id, open=opening))
    return True


def _holder_buttons(kb: Keyboard, contact_id: int, holder_id: int,
                    holder: str) -> None:
    """After Yes the dispatcher keeps control: each button names the holder it was drawn for."""
    def held(step: HeldStep) -> Held:
        return Held(step=step, contact_id=contact_id, holder_id=holder_id)
    kb.button(text=_("Ask for an update"), callback_data=held(HeldStep.ASK))
    kb.button(text=_("Message {name}").format(name=holder), callback_data=held(HeldStep.MESSAGE))
    kb.button(text=_("Reassign…"), callback_data=held(HeldStep.REASSIGN))
    kb.button(text=_("Close…"), callback_data=held(HeldStep.CLOSE))
    kb.adjust(2, 2)


def reassign_confirm(contact_id: int, holder_id: int, holder: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Yes, take it from {name}").format(name=holder), callback_data=Held(
        step=HeldStep.REASSIGN_YES, contact_id=contact_id, holder_id=holder_id))
    kb.button(text=_("« Back"), callback_data=CardAction(action="back", contact_id=contact_id))
    kb.adjust(1)
    return kb.as_markup()


def held_close(contact_id: int, holder_id: int) -> InlineKeyboardMarkup:
    """Why a held contact is closed: its holder is told."""
    kb = Keyboard()
    for reason in HELD_CLOSE_REASONS:
        kb.button(text=labels.close_reason(reason).capitalize(), callback_data=HeldClose(
            contact_id=contact_id, holder_id=holder_id, reason=reason))
    kb.button(text=_("« Back"), callback_data=CardAction(action="back", contact_id=contact_id))
    kb.adjust(2, 2, 1)
    return kb.as_markup()


def ask_without_note(contact_id: int, holder_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Send without note"), callback_data=Held(
        step=HeldStep.ASK_SEND, contact_id=contact_id, holder_id=holder_id))
    return kb.as_markup()


def other(contact_id: int, candidates: list[Candidate], declined: set[int],
          reassigned: frozenset[int] = frozenset(), days: int = 0) -> InlineKeyboardMarkup:
    """Every active multiplier: the dispatcher may know better than the ranking (✋ declined;
    those reassigned away from this seeker, whom the ranking leaves out, say so). With
    `days` (chosen with *Offer…*) each button offers for that many days."""
    kb = Keyboard()
    for c in candidates:
        mark = "✋ " if c.member.id in declined else ""
        text = f"{mark}{c.member.name} ({c.load}/{c.member.profile.capacity})"
        if c.member.id in reassigned:
            text += " · " + _("reassigned away")
        data = (OfferFor(contact_id=contact_id, member_id=c.member.id, days=days) if days
                else OfferTo(contact_id=contact_id, member_id=c.member.id))
        kb.button(text=text, callback_data=data)
    kb.button(text=_("« Back"), callback_data=CardAction(action="back", contact_id=contact_id))
    kb.adjust(2)
    return kb.as_markup()


def offer_days(contact_id: int) -> InlineKeyboardMarkup:
    """*Offer…*: how many days the multiplier gets to reach the seeker, then whom."""
    kb = Keyboard()
    for days in DAY_CHOICES:
        kb.button(text=ngettext("{n} day", "{n} days", days).format(n=days),
                  callback_data=OfferDays(contact_id=contact_id, days=days))
    kb.button(text=_("« Back"), callback_data=CardAction(action="back", contact_id=contact_id))
    kb.adjust(len(DAY_CHOICES), 1)
    return kb.as_markup()


def close(contact_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Spam"), callback_data=CloseAs(contact_id=contact_id, reason=CloseReason.SPAM))
    kb.button(text=_("Invalid"),
              callback_data=CloseAs(contact_id=contact_id, reason=CloseReason.INVALID))
    kb.button(text=_("« Back"), callback_data=CardAction(action="back", contact_id=contact_id))
    kb.adjust(2, 1)
    return kb.as_markup()


def offer(offer_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Yes"), callback_data=Answer(offer_id=offer_id, yes=True))
    kb.button(text=_("No"), callback_data=Answer(offer_id=offer_id, yes=False))
    return kb.as_markup()


def why(offer_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for reason in DeclineReason:
        kb.button(text=labels.decline_reason(reason), callback_data=Why(offer_id=offer_id, reason=reason))
    kb.adjust(2)
    return kb.as_markup()


def stages(contact_id: int, current: Status) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for stage in FOLLOW_UP_STAGES:
        mark = "• " if stage is current else ""
        kb.button(text=mark + labels.status(stage).capitalize(),
                  callback_data=Stage(contact_id=contact_id, stage=stage))
    kb.button(text=_("✝ Milestones"), callback_data=Milestones(contact_id=contact_id))
    kb.button(text=_("Hand back to dispatcher"), callback_data=HandBack(contact_id=contact_id))
    kb.adjust(2, 2, 2, 1, 1, 1)
    return kb.as_markup()


def skip(contact_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Skip"), callback_data=NoteSkip(contact_id=contact_id))
    return kb.as_markup()


def meeting_days(contact_id: int, days: list[date]) -> InlineKeyboardMarkup:
    """Today, tomorrow, then the weekdays: a tap instead of typing a date."""
    kb = Keyboard()
    for i, day in enumerate(days):
        text = {0: _("Today"), 1: _("Tomorrow")}.get(i) or labels.weekday(day)
        kb.button(text=text, callback_data=MeetDay(contact_id=contact_id, day=day.toordinal()))
    kb.button(text=_("Skip"), callback_data=NoteSkip(contact_id=contact_id))
    kb.adjust(2, 3, 3)
    return kb.as_markup()


def meeting_hours(contact_id: int, day: date) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for hour in MEETING_HOURS:
        kb.button(text=f"{hour:02d}:00",
                  callback_data=MeetAt(contact_id=contact_id, day=day.toordinal(), hour=hour))
    kb.adjust(4)
    return kb.as_markup()


def milestones(contact_id: int, reached: list[Reached]) -> InlineKeyboardMarkup:
    """Each milestone a toggle: ticked ones carry a mark."""
    ticked = {r.milestone for r in reached}
    kb = Keyboard()
    for milestone in MILESTONES:
        mark = "✅ " if milestone in ticked else ""
        kb.button(text=mark + labels.milestone(milestone),
                  callback_data=Tick(contact_id=contact_id, milestone=milestone))
    kb.adjust(2)
    return kb.as_markup()


def escalation(contact_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Reassign"), callback_data=Escalation(contact_id=contact_id, action="reassign"))
    kb.button(text=_("Remind again"), callback_data=Escalation(contact_id=contact_id, action="remind"))
    kb.button(text=_("Give more time"),
              callback_data=Escalation(contact_id=contact_id, action="more_time"))
    kb.adjust(3)
    return kb.as_markup()


def open_contact(contact_id: int) -> InlineKeyboardMarkup:
    """Under a team-chat alarm: the contact's screen (details only in a private chat)."""
    kb = Keyboard()
    kb.button(text=_("Open #{id}").format(id=contact_id),
              callback_data=ContactOpen(contact_id=contact_id))
    return kb.as_markup()


def open_cards(contact_ids: list[int]) -> InlineKeyboardMarkup | None:
    if not contact_ids:
        return None
    kb = Keyboard()
    for contact_id in contact_ids:
        kb.button(text=_("Open #{id}").format(id=contact_id), callback_data=OpenCard(contact_id=contact_id))
    kb.adjust(4)
    return kb.as_markup()


# ---------------------------------------------------------------------- a contact's screen


def contact_screen(screen: Screen) -> InlineKeyboardMarkup | None:
    """The actions the viewer's role allows on the contact as it stands (screen.actions, from
    domain.contact_access.screen_actions), each a group of rows. A new action is one more
    entry in SCREEN_BUTTONS."""
    kb = Keyboard()
    for action in screen.actions:
        kb.attach(SCREEN_BUTTONS[action](screen))
    return kb.as_markup() if list(kb.buttons) else None


def _screen_dispatch(screen: Screen) -> Keyboard:
    """The card's own buttons, as a dispatcher has them on the team card."""
    kb = _dispatch_buttons(screen.card)
    _duplicate_buttons(kb, screen.card)
    if screen.contact.is_held and screen.full:  # the menu names the seeker: in private
        kb.row(InlineKeyboardButton(text=_("✝ Milestones"), callback_data=Milestones(
            contact_id=screen.contact.id).pack()))
    return kb


def _screen_stages(screen: Screen) -> Keyboard:
    return Keyboard.from_markup(stages(screen.contact.id, screen.contact.status))


def _screen_edit(screen: Screen) -> Keyboard:
    kb = Keyboard()
    kb.button(text=_("✏️ Edit details"), callback_data=EditContact(contact_id=screen.contact.id))
    return kb


def _screen_show_card(screen: Screen) -> Keyboard:
    kb = Keyboard()
    kb.button(text=_("📌 Show card in the team chat"),
              callback_data=ShowCard(contact_id=screen.contact.id))
    return kb


SCREEN_BUTTONS: dict[Action, Callable[[Screen], Keyboard]] = {
    Action.DISPATCH: _screen_dispatch,
    Action.STAGES: _screen_stages,
    Action.EDIT: _screen_edit,
    Action.SHOW_CARD: _screen_show_card,
}


def edit_fields(contact_id: int, fields: Iterable[str]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for name in fields:
        kb.button(text=labels.contact_field(name).capitalize(),
                  callback_data=EditContact(contact_id=contact_id, field=name))
    kb.adjust(3)
    return kb.as_markup()


def edit_choices(contact_id: int, field: str, languages: Iterable[str]) -> InlineKeyboardMarkup:
    """Gender and language are picked, as in /new."""
    kb = Keyboard()
    if field == "gender":
        for gender in Gender:
            kb.button(text=labels.gender(gender),
                      callback_data=EditPick(contact_id=contact_id, field=field, value=gender))
    else:
        for code in languages:
            kb.button(text=labels.language(code),
                      callback_data=EditPick(contact_id=contact_id, field=field, value=code))
        kb.button(text=_("Not known"),
                  callback_data=EditPick(contact_id=contact_id, field=field, value=CLEAR))
    kb.adjust(3)
    return kb.as_markup()


# ---------------------------------------------------------------------- lists


def _item(contact: Contact) -> InlineKeyboardButton:
    """A list item: the id and the given name only (a button reads the same everywhere)."""
    name = contact.details.call_name
    label = f"#{contact.id} {name if len(name) <= 24 else name[:23] + '…'}"
    return InlineKeyboardButton(text=label,
                                callback_data=ContactOpen(contact_id=contact.id).pack())


def _paged(contacts: list[Contact], page: int, pages: int,
           to: Callable[[int], CallbackData]) -> InlineKeyboardMarkup | None:
    """Each item opens its contact; ◀ ▶ move a page (the middle button redraws this one)."""
    kb = Keyboard()
    for first in range(0, len(contacts), 2):
        kb.row(*(_item(c) for c in contacts[first:first + 2]))
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(InlineKeyboardButton(text="◀", callback_data=to(page - 1).pack()))
        nav.append(InlineKeyboardButton(text=f"{page + 1}/{pages}", callback_data=to(page).pack()))
        if page < pages - 1:
            nav.append(InlineKeyboardButton(text="▶", callback_data=to(page + 1).pack()))
        kb.row(*nav)
    return kb.as_markup() if list(kb.buttons) else None


def contact_list(page: Listing) -> InlineKeyboardMarkup | None:
    return _paged(page.contacts, page.page, page.pages,
                  lambda n: ContactPage(code=page.code, page=n))


def my_list(contacts: list[Contact], page: int, pages: int) -> InlineKeyboardMarkup | None:
    return _paged(contacts, page, pages, lambda n: MyPage(page=n))


#: /queue shows an Open button for at most this many of its lines.
QUEUE_BUTTONS = 48


def queue_open(contact_ids: list[int]) -> InlineKeyboardMarkup | None:
    """An *Open* button per /queue line: the contact's own screen."""
    kb = Keyboard()
    for contact_id in contact_ids[:QUEUE_BUTTONS]:
        kb.button(text=_("Open #{id}").format(id=contact_id),
                  callback_data=ContactOpen(contact_id=contact_id))
    kb.adjust(4)
    return kb.as_markup() if list(kb.buttons) else None


def burst(batch_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("List them"), callback_data=BurstList(batch_id=batch_id))
    return kb.as_markup()
