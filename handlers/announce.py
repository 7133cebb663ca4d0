"""A contact that came in without a person typing it (HTTP API, CSV import) reaches the team
like one from /new: its card in the team chat and a ping to real-time dispatchers.

The card goes through the outbox (purpose "card"; the sender remembers where it landed), so
a file of a thousand rows respects the group's flood limit and a restart loses no card."""

from datetime import datetime

from handlers import keyboards, texts
from services import notify
from services.cards import CardView
from services.notify import Quiet
from services.transaction import use_case
from storage.repositories.outbox import Enqueue
from storage.uow import UnitOfWork

CARD = "card"


@use_case
async def announce(uow: UnitOfWork, view: CardView, now: datetime, quiet: Quiet,
                   ping: bool = True) -> bool:
    """False when no team chat is bound yet (the contact waits in /queue). `ping`: tell
    real-time dispatchers now (an import tells them once for the whole file instead)."""
    chat_id = await uow.settings.team_chat_id()
    if chat_id is not None:
        markup = keyboards.card(view)
        await uow.outbox.add(Enqueue(
            chat_id=chat_id, text=texts.card(view, now), purpose=CARD, ref_id=view.contact.id,
            reply_markup=markup.model_dump_json() if markup else None,
            dedupe_key=f"card:{view.contact.id}"), now)
    if ping:
        await notify.to_realtime_dispatchers(uow, texts.new_contact_notice(view.contact), now,
                                             quiet)
    await uow.commit()
    return chat_id is not None
