"""/queue: what waits for dispatch, pending offers, declined ones; an *Open* button per line
opens the contact's own screen."""

from html import escape

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.members import Member
from domain.roles import DISPATCH_ROLES
from services import queue
from services.queue import QueueEntry
from storage.uow import UnitOfWork
from views import keyboards, labels, texts
from views.filters import HasRole


async def show(message: Message, member: Member, uow: UnitOfWork, clock: Clock) -> None:
    q = await queue.dispatch_queue(uow, member, clock.now())
    now = clock.now()

    def line(e: QueueEntry) -> str:
        text = _("#{id} {who} — waiting {age}").format(
            id=e.contact.id, who=texts.summary(e.contact.details), age=labels.ago(e.contact.waiting_since, now))
        if e.pending:
            text += " · " + _("offered to {name}").format(name=escape(q.names.get(e.pending.multiplier_id, "?")))
        if e.declines:
            text += " · " + _("declined by {names}").format(
                names=", ".join(escape(q.names.get(o.multiplier_id, "?")) for o in e.declines))
        return text

    sections = [(_("Waiting for dispatch"), q.waiting), (_("Offered, no answer yet"), q.offered),
                (_("On hold"), q.on_hold)]
    lines = [_("<b>Dispatch queue</b>")]
    for title, entries in sections:
        lines.append(f"\n<b>{title}</b> ({len(entries)})")
        lines += [line(e) for e in entries] or ["—"]
    listed = [e.contact.id for e in q.waiting + q.offered + q.on_hold]
    await message.answer(texts.fit("\n".join(lines)), reply_markup=keyboards.queue_open(listed))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="queue")
    r.message.filter(HasRole(*DISPATCH_ROLES))
    r.message.register(show, Command("queue"))
    return r
