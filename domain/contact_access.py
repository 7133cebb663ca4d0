"""Who sees a contact's full record, who may change which detail, and what a contact's own
screen offers its viewer. One rule for the screen, its buttons and the use cases behind them.

Full details (phone, e-mail, username, full name, notes) are shown only in a private chat
with the bot, and only to the multiplier who holds the contact, dispatchers and admins, and
to the operator who entered it while nobody holds it. In the team chat everyone reads what
the card shows."""

from enum import StrEnum

from domain.contacts import Contact, Status
from domain.errors import InvalidInput, NoLongerAvailable, NotAllowed
from domain.members import Member
from domain.roles import DISPATCH_ROLES, INTAKE_ROLES
from domain.seeker_privacy import hears_seeker


class Visibility(StrEnum):
    FULL = "full"  # every detail, in a private chat
    CARD = "card"  # what the team card shows: given name, gender, language, area


class NotYours(NotAllowed):
    """Neither its holder, nor a dispatcher or admin, nor the operator who entered it."""

    code = "not_yours"


class HeldByMultiplier(NotAllowed):
    """The operator who entered it, once a multiplier holds it. `detail`: "view" or "edit"."""

    code = "held_by_multiplier"


class HolderFieldsOnly(NotAllowed):
    """The holder changes the ways to reach the seeker and the area, nothing else."""

    code = "holder_fields"


class PrivateOnly(NotAllowed):
    """Details are changed only where only the person changing them reads them."""

    code = "private_only"


#: Every detail that can be changed after intake, in the order the edit buttons show.
EDIT_FIELDS = ("name", "phone", "tg_username", "email", "gender", "language", "area", "source",
               "notes")
#: What the holder may change: how to reach the seeker, and where they are.
HOLDER_FIELDS = ("phone", "tg_username", "email", "area")
#: Values the team chat never shows (the card shows the given name, gender, language, area
#: and source).
PRIVATE_FIELDS = frozenset({"name", "phone", "tg_username", "email", "notes"})


class Action(StrEnum):
    """What a contact's screen offers; views.keyboards.contact_screen draws each."""

    DISPATCH = "dispatch"  # the card's own buttons: offer, other, why, hold / resume, close;
    # once held: ask for an update, message the holder, reassign, close
    STAGES = "stages"  # the holder's follow-up stage buttons
    EDIT = "edit"
    SHOW_CARD = "show_card"  # post the team card of a contact that arrived in a burst


def entered_it(contact: Contact, viewer: Member) -> bool:
    """The operator (or anyone who may enter contacts) who created this record."""
    return contact.created_by == viewer.id and viewer.has(*INTAKE_ROLES)


def visibility(contact: Contact, viewer: Member | None, in_private: bool) -> Visibility:
    """What `viewer` may read of the contact here; refused with a reason otherwise."""
    if viewer is None or not viewer.active:
        raise NotYours()
    if not in_private:
        return Visibility.CARD
    if viewer.has(*DISPATCH_ROLES) or hears_seeker(contact, viewer):
        return Visibility.FULL
    if entered_it(contact, viewer):
        if contact.is_held:
            raise HeldByMultiplier("view")
        return Visibility.FULL
    raise NotYours()


def editable_fields(contact: Contact, viewer: Member | None) -> tuple[str, ...]:
    """The details `viewer` may change; empty: none."""
    if viewer is None or contact.status is Status.MERGED:
        return ()
    if viewer.has(*DISPATCH_ROLES):
        return EDIT_FIELDS
    if hears_seeker(contact, viewer):
        return HOLDER_FIELDS
    if entered_it(contact, viewer) and not contact.is_held:
        return EDIT_FIELDS
    return ()


def check_can_edit(contact: Contact, viewer: Member | None, field: str) -> None:
    """Refused in words the person can act on: who holds it, or what they may change."""
    if field not in EDIT_FIELDS:
        raise InvalidInput("field")
    if contact.status is Status.MERGED:
        raise NoLongerAvailable("merged")
    if field in editable_fields(contact, viewer):
        return
    if viewer is None:
        raise NotYours()
    if hears_seeker(contact, viewer):
        raise HolderFieldsOnly()
    if entered_it(contact, viewer) and contact.is_held:
        raise HeldByMultiplier("edit")
    raise NotYours()


def screen_actions(contact: Contact, viewer: Member, visibility: Visibility,
                   offerable: bool) -> tuple[Action, ...]:
    """The actions the viewer's role allows on this contact as it stands. `offerable`: the
    card has dispatch buttons now (waiting, offered or on hold); a held contact's card has
    the dispatcher's control buttons (ask for an update, message, reassign, close)."""
    actions: list[Action] = []
    dispatcher = viewer.has(*DISPATCH_ROLES)
    if dispatcher and (offerable or contact.is_held):
        actions.append(Action.DISPATCH)
    if dispatcher and contact.card_held:
        actions.append(Action.SHOW_CARD)
    if visibility is Visibility.FULL and hears_seeker(contact, viewer):
        actions.append(Action.STAGES)
    if visibility is Visibility.FULL and editable_fields(contact, viewer):
        actions.append(Action.EDIT)
    return tuple(actions)
