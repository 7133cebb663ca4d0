"""An offer as the multiplier reads it."""

from domain.contacts import Contact
from domain.offers import Offer
from views import keyboards, texts


def offer_message(offer: Offer, contact: Contact) -> tuple[str, str]:
    """The multiplier's question and its Yes / No, queued with the offer (services.dispatch)."""
    return texts.offer_question(contact, offer.days), keyboards.offer(offer.id).model_dump_json()
