"""/apikey new NAME | list | revoke NAME: keys for the HTTP intake API, by admins."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import AlreadyDone, InvalidInput, NotFound
from domain.members import Member
from domain.roles import Role
from services import api_keys
from services.options import Options
from storage.uow import UnitOfWork
from views import labels
from views.filters import HasRole, InPrivate


def usage() -> str:
    return _("Usage: /apikey new NAME · /apikey list · /apikey revoke NAME\n"
             "NAME names the source (e.g. webform); its contacts are marked api:NAME.")


async def apikey(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                 clock: Clock, settings: Options) -> None:
    action, _sep, name = (command.args or "").strip().partition(" ")
    if action == "new" and name:
        await _new(message, member, uow, clock, name)
    elif action == "list":
        await _list(message, member, uow, ZoneInfo(member.timezone or settings.team_timezone))
    elif action == "revoke" and name:
        try:
            key = await api_keys.revoke(uow, member, name, clock.now())
        except NotFound:
            await message.answer(_("No key named {name}.").format(name=escape(name)))
            return
        except AlreadyDone:
            await message.answer(_("That key was already revoked."))
            return
        await message.answer(_("Key {name} revoked: requests with it now get 401.").format(name=escape(key.name)))
    else:
        await message.answer(usage())


async def _new(message: Message, member: Member, uow: UnitOfWork, clock: Clock, name: str) -> None:
    try:
        secret = await api_keys.create(uow, member, name, clock.now())
    except InvalidInput:
        await message.answer(_("A key name is 1-40 letters, digits, dots, dashes or underscores."))
        return
    except AlreadyDone:
        await message.answer(_("A key named {name} exists already (revoked keys keep their name).").format(name=escape(name)))
        return
    await message.answer(_("API key for {name} (shown only this once; keep it secret):\n<code>{key}</code>\n"
                           "Send it as <code>Authorization: Bearer …</code> to POST /api/v1/contacts.").format(
        name=escape(name.strip()), key=secret))


async def _list(message: Message, member: Member, uow: UnitOfWork, zone: ZoneInfo) -> None:
    """Creation days in the reader's zone and words."""
    keys = await api_keys.list_keys(uow, member)
    if not keys:
        await message.answer(_("No API keys yet. Create one with /apikey new NAME."))
        return
    lines = [_("<b>API keys</b>")]
    for key in keys:
        state = _("revoked") if not key.active else _("active")
        lines.append(f"• {escape(key.name)} — {state}, {labels.date(key.created_at, zone)}")
    await message.answer("\n".join(lines))


def router() -> Router:
    r = Router(name="api_keys")
    r.message.register(apikey, Command("apikey"), HasRole(Role.ADMIN), InPrivate())
    return r
