"""Who may read a seeker's words and contact details. One rule for every path that carries
them (relay, touch notices, the intro after Yes, reminders, conversation statuses), so a
member who left the team or lost the multiplier role hears nothing more from the next day."""

from domain.contacts import Contact
from domain.conversations import Conversation, Triage
from domain.members import Member
from domain.roles import INTAKE_ROLES


def hears_seeker(contact: Contact | None, member: Member | None) -> bool:
    """Only the active multiplier who holds the contact now; nobody while nobody holds it."""
    return (contact is not None and member is not None and contact.is_assigned
            and contact.assignee_id == member.id and member.is_multiplier)


def holder_gone(contact: Contact | None, holder: Member | None) -> bool:
    """The contact is held by someone who may no longer hear the seeker: until someone else
    holds it, the seeker's words go back to the team."""
    return contact is not None and contact.is_assigned and not hears_seeker(contact, holder)


def hears_request(conv: Conversation, contact: Contact | None, member: Member | None) -> bool:
    """Who may hear a seeker through the bot: once the request is a contact, its holder
    (`hears_seeker`); before that, the operator who claimed it, while they still triage for
    the team (a digital responder learning language, place and needs before dispatch)."""
    if conv.contact_id is not None:
        return hears_seeker(contact, member)
    return (conv.triage is Triage.CLAIMED and member is not None
            and conv.claimed_by == member.id and member.has(*INTAKE_ROLES))
