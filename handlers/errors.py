"""The safety net: whatever a handler did not expect, the person still gets one clear line.

Refusals the core foresees (DomainError) are answered by each router in its own words;
this catches the rest (a Bot API refusal, a bug) so nobody waits on a silent bot, and logs
it with the update id to find it again."""

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)


async def unexpected(event: ErrorEvent) -> bool:
    update = event.update
    log.error("update failed", exc_info=event.exception,
              extra={"update_id": update.update_id, "error": repr(event.exception)})
    text = _("Sorry, that did not work on our side (reference {ref}). Please try again; "
             "if it keeps failing, tell an admin.").format(ref=update.update_id)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None:
            await update.message.answer(text)
    except TelegramAPIError:
        log.warning("error answer not sent", extra={"update_id": update.update_id})
    return True


def router() -> Router:
    r = Router(name="errors")
    r.errors.register(unexpected)
    return r
