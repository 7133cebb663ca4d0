"""What the open pool says: the invitation (urgent and concrete, like an offer, and no
contact details before taking), its end, and the dispatcher's answers."""

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.contacts import Contact
from domain.pool import InvitationState
from views import texts
from views.callbacks import PoolTake
from views.keyboard_builder import Keyboard


def invitation(contact: Contact, days: int) -> str:
    """Shown to every invitee: the same question as an offer, and that the first one wins."""
    return "\n".join([
        _("🙋 Open to all nearby: the first who takes this seeker holds them."),
        texts.offer_question(contact, days),
    ])


def invitation_keyboard(invitation_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=_("Take"), callback_data=PoolTake(invitation_id=invitation_id, take=True))
    kb.button(text=_("Not me"), callback_data=PoolTake(invitation_id=invitation_id, take=False))
    return kb.as_markup()


def closed(contact: Contact, state: InvitationState) -> str:
    """The invitation's message once the pool closed for this invitee (its buttons go)."""
    who = texts.summary(contact.details)
    if state is InvitationState.LOST:
        return _("Taken: another multiplier took {who} first. Thank you for being ready.").format(
            who=who)
    if state is InvitationState.EXPIRED:
        return _("No longer open: nobody took {who} in time; the dispatchers will place them.").format(
            who=who)
    return _("No longer open: the dispatchers placed {who} otherwise.").format(who=who)


def passed(contact: Contact) -> str:
    return _("You passed on {who}. Thank you for the quick answer.").format(
        who=texts.summary(contact.details))


def opened(count: int) -> str:
    """The dispatcher's toast after opening the pool."""
    return ngettext("Open to {n} multiplier nearby; the first to take it holds it.",
                    "Open to {n} multipliers nearby; the first to take it holds it.",
                    count).format(n=count)


def withdrawn() -> str:
    return _("The open pool is closed; the contact waits for dispatch.")
