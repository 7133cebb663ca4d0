"""The safety net: whatever a handler did not expect, the person still gets one clear line.

Refusals the core foresees (DomainError) are answered in their usual words (most routers
answer their own, with what else the refusal calls for); this catches the rest (a Bot API
refusal, a bug) so nobody waits on a silent bot, and logs it with the update id."""

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from domain.errors import DomainError
from views import labels

log = logging.getLogger(__name__)


async def unexpected(event: ErrorEvent) -> bool:
    update, exc = event.update, event.exception
    if isinstance(exc, DomainError):  # a refusal a router left to us: its usual words
        text = labels.error(exc)
    else:
        log.error("update failed", exc_info=exc,
                  extra={"update_id": update.update_id, "error": repr(exc)})
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
