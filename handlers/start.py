"""/start: greet members, let invited people join through their deep link, set a time zone."""

from html import escape

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.members import Member
from domain.timing import parse_zone
from services import team
from services.options import Options
from storage.uow import UnitOfWork
from views import labels, texts
from views.callbacks import JOIN_PREFIX
from views.help import help_text
from views.language import for_reader


async def join(message: Message, command: CommandObject, uow: UnitOfWork, clock: Clock,
               settings: Options) -> None:
    assert message.from_user and command.args
    user = message.from_user
    try:
        joined = await team.join(
            uow, command.args.removeprefix(JOIN_PREFIX), user.id, user.full_name, user.username,
            clock.now(), compose_notice=for_reader(texts.joined_notice), quiet=settings.quiet(),
            language=user.language_code,
        )
    except DomainError:
        await message.answer(_("This invite link is used up or expired. Ask an admin for a new one."))
        return
    await message.answer(
        _("Welcome, {name}! You joined as {role}.").format(
            name=escape(joined.member.name), role=labels.role(joined.role))
        + "\n\n" + help_text(joined.member)
    )


async def start(message: Message, member: Member | None, uow: UnitOfWork, clock: Clock) -> None:
    if member is None:
        await message.answer(help_text(None))
        return
    assert message.from_user
    member = await team.greet(uow, member, message.from_user.full_name, message.from_user.username,
                              clock.now())
    await message.answer(_("Hello, {name}!").format(name=escape(member.name)) + "\n\n" + help_text(member))


async def timezone(message: Message, command: CommandObject, member: Member | None,
                   uow: UnitOfWork, clock: Clock) -> None:
    if member is None:
        await message.answer(help_text(None))
        return
    try:
        zone = parse_zone(command.args or "")
    except InvalidInput:
        await message.answer(_("That is not a time zone name. Send one like /timezone Europe/Kyiv (region/city)."))
        return
    await team.set_timezone(uow, member, zone, clock.now())
    await message.answer(_("Your time zone is now {zone}.").format(zone=zone))


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="start")
    r.message.filter(F.chat.type == "private")
    r.message.register(join, CommandStart(deep_link=True, magic=F.args.startswith(JOIN_PREFIX)))
    r.message.register(start, CommandStart())
    r.message.register(timezone, Command("timezone"))
    return r
