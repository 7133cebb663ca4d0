"""/areas for everyone on the team; admins keep the list; dispatchers map a seeker's place."""

from html import escape

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.areas import AreaMap
from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.members import Member
from domain.numbers import parse_id
from domain.roles import DISPATCH_ROLES, Role
from services import areas
from storage.uow import UnitOfWork
from views import labels
from views.filters import HasRole
from views.texts import fit

AREA_USAGE = "/area Podil | Kyiv | 50.465, 30.515 | Подол, Podol"


async def show(message: Message, member: Member, uow: UnitOfWork) -> None:
    await message.answer(fit(listing(await areas.area_map(uow, member))))


async def save(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
               clock: Clock) -> None:
    try:
        area, mapped = await areas.save_area(uow, member, command.args or "", clock.now())
    except DomainError:
        await message.answer(_("Send the area as: {usage}\n(city, coordinates and other spellings are optional)").format(usage=escape(AREA_USAGE)))
        return
    reply = _("Saved: {area}.").format(area=escape(area.label))
    if mapped:
        reply += " " + ngettext("{n} waiting contact was mapped to it.",
                                "{n} waiting contacts were mapped to it.", mapped).format(n=mapped)
    await message.answer(reply)


async def remove(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                 clock: Clock) -> None:
    try:
        area = await areas.remove_area(uow, member, command.args or "", clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(_("Removed: {area}.").format(area=escape(area.label)))


async def neighbours(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                     clock: Clock) -> None:
    linked = command.command == "near"
    names = [p.strip() for p in (command.args or "").split("|")]
    if len(names) != 2:
        await message.answer(_("Send two areas: /near Podil | Obolon (or /far to undo)."))
        return
    try:
        a, b = await areas.set_neighbours(uow, member, names[0], names[1], linked, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    text = _("{a} and {b} are neighbours.") if linked else _("{a} and {b} are no longer neighbours.")
    await message.answer(text.format(a=escape(a.name), b=escape(b.name)))


async def map_contact(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
                      clock: Clock, bot: Bot) -> None:
    number, _sep, place = (command.args or "").strip().partition(" ")
    try:
        contact_id = parse_id(number)
    except InvalidInput:
        contact_id = None
    if contact_id is None or not place.strip():
        await message.answer(_("Send: /map 12 Podil (the contact number, then a known area)."))
        return
    try:
        view = await areas.map_contact(uow, member, contact_id, place, None, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc))
        return
    await message.answer(_("#{id} is in {area} now.").format(
        id=view.contact.id, area=escape(view.areas.name(view.contact.area_key or ""))))


def listing(area_map: AreaMap) -> str:
    if not area_map.configured:
        return _("No areas yet: places are compared as typed. Admins add areas with {usage}").format(usage=escape(AREA_USAGE))
    lines = [_("<b>Areas</b>")]
    for area in sorted(area_map.areas.values(), key=lambda a: (a.city, a.name)):
        near = ", ".join(sorted(area_map.name(k) for k in area_map.neighbours(area.key)))
        line = f"• {escape(area.label)}"
        if near:
            line += " — " + _("next to {areas}").format(areas=escape(near))
        lines.append(line)
    return "\n".join(lines)


def router() -> Router:
    r = Router(name="areas")
    r.message.register(show, Command("areas"),
                       HasRole(Role.ADMIN, *DISPATCH_ROLES, Role.OPERATOR, Role.MULTIPLIER))
    r.message.register(save, Command("area"), HasRole(Role.ADMIN))
    r.message.register(remove, Command("area_remove"), HasRole(Role.ADMIN))
    r.message.register(neighbours, Command("near", "far"), HasRole(Role.ADMIN))
    r.message.register(map_contact, Command("map"), HasRole(*DISPATCH_ROLES))
    return r
