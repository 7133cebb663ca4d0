"""Team management: invite links per role, /team listing, admins toggling roles."""

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.errors import DomainError
from domain.members import Member
from domain.roles import Role
from services import team
from services.leavers import LeaverWords
from services.options import Options
from storage.uow import UnitOfWork
from views import holding_texts, labels, texts
from views.callbacks import JOIN_PREFIX, InviteRole, MemberAction
from views.filters import HasRole
from views.keyboard_builder import Keyboard
from views.language import for_reader
from views.replies import edit_pressed, reply_to_press

#: A leaver's contacts come back with a note, and the team reads one summary (services.leavers).
LEAVING = LeaverWords(for_reader(holding_texts.left_note), for_reader(holding_texts.departure))


async def list_team(message: Message, member: Member, uow: UnitOfWork) -> None:
    members = await team.list_team(uow, member)
    text = "\n".join([_("<b>Team</b>")] + [texts.member_line(m) for m in members])
    kb = None
    if member.has(Role.ADMIN):
        builder = Keyboard()
        for m in members:
            builder.button(text=m.name, callback_data=MemberAction(action="open", member_id=m.id))
        builder.adjust(2)
        kb = builder.as_markup()
    await message.answer(texts.fit(text), reply_markup=kb)


async def invite(message: Message) -> None:
    builder = Keyboard()
    for role in Role:
        builder.button(text=labels.role(role).capitalize(), callback_data=InviteRole(role=role))
    builder.adjust(2)
    await message.answer(_("Invite someone as…"), reply_markup=builder.as_markup())


async def invite_link(query: CallbackQuery, callback_data: InviteRole, member: Member,
                      uow: UnitOfWork, clock: Clock, bot: Bot, settings: Options) -> None:
    ttl = timedelta(hours=settings.invite_ttl_hours)
    token = await team.create_invite(uow, member, callback_data.role, clock.now(), ttl)
    link = await create_start_link(bot, JOIN_PREFIX + token)
    await query.answer()
    await reply_to_press(query, 
        ngettext("Single-use link for a new {role}, valid {hours} hour:\n{link}",
                 "Single-use link for a new {role}, valid {hours} hours:\n{link}",
                 settings.invite_ttl_hours).format(
            role=labels.role(callback_data.role), hours=settings.invite_ttl_hours, link=link)
    )


async def member_action(query: CallbackQuery, callback_data: MemberAction, member: Member,
                        uow: UnitOfWork, clock: Clock) -> None:
    try:
        if callback_data.action == "role" and callback_data.role in Role._value2member_map_:
            target = await team.toggle_role(uow, member, callback_data.member_id,
                                            Role(callback_data.role), clock.now(), LEAVING)
        elif callback_data.action in ("deactivate", "activate"):
            target = await team.set_active(uow, member, callback_data.member_id,
                                           callback_data.action == "activate", clock.now(),
                                           LEAVING)
        else:
            target = await team.get_member(uow, member, callback_data.member_id)
    except DomainError as exc:
        await query.answer(labels.error(exc), show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, texts.member_line(target), reply_markup=_member_keyboard(target))


def _member_keyboard(target: Member):  # type: ignore[no-untyped-def]
    builder = Keyboard()
    for role in Role:
        mark = "✓ " if role in target.roles else "  "
        builder.button(text=mark + labels.role(role),
                       callback_data=MemberAction(action="role", member_id=target.id, role=role))
    if target.active:
        builder.button(text=_("Deactivate"),
                       callback_data=MemberAction(action="deactivate", member_id=target.id))
    else:
        builder.button(text=_("Activate"),
                       callback_data=MemberAction(action="activate", member_id=target.id))
    builder.adjust(2, 2, 1)
    return builder.as_markup()


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="team")
    r.message.register(list_team, Command("team"), HasRole(*Role))
    r.message.register(invite, Command("invite"), HasRole(Role.ADMIN), F.chat.type == "private")
    r.callback_query.register(invite_link, InviteRole.filter(), HasRole(Role.ADMIN))
    r.callback_query.register(member_action, MemberAction.filter(), HasRole(Role.ADMIN))
    return r
