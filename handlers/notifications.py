"""How people hear from the bot: real-time pings or digests, and the team's digest times."""

from datetime import time

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member, NotifyMode
from domain.roles import DISPATCH_ROLES, Role
from services import team
from storage.uow import UnitOfWork
from views import labels
from views.filters import HasRole


async def notify_mode(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                      clock: Clock) -> None:
    choice = (command.args or "").strip().lower()
    if choice not in NotifyMode._value2member_map_:
        current = member.notify_mode.value
        await message.answer(_("You get {mode} notifications. Send /notify realtime for a ping per event, or /notify digest for digests at set times.").format(mode=current))
        return
    await team.set_notify_mode(uow, member, NotifyMode(choice), clock.now())
    await message.answer(_("Saved: {mode}.").format(mode=choice))


async def digest_times(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                       clock: Clock) -> None:
    try:
        value = await team.set_digest_times(uow, member, command.args or "", clock.now())
    except DomainError:
        await message.answer(_("Send times like /digest_times 09:00,13:00,17:00"))
        return
    times = ", ".join(labels.clock_time(time.fromisoformat(t)) for t in value.split(","))
    await message.answer(_("Digests will go out at {times}, in each person's own time zone.").format(times=times))


def router() -> Router:
    r = Router(name="notifications")
    r.message.register(notify_mode, Command("notify"), HasRole(*DISPATCH_ROLES, Role.OPERATOR))
    r.message.register(digest_times, Command("digest_times"), HasRole(Role.ADMIN))
    return r
