"""/language: a member picks the language the bot writes to them in; in the team chat an admin
picks the team's (also for everyone who has not chosen one)."""

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from domain.clock import Clock
from domain.locales import shipped
from domain.members import Member
from domain.roles import Role
from services import languages
from storage.uow import UnitOfWork
from views import language_texts as lt
from views.callbacks import PickLanguage
from views.filters import HasRole
from views.language import speaking, words
from views.replies import edit_pressed


async def ask(message: Message, command: CommandObject, member: Member, uow: UnitOfWork,
              clock: Clock) -> None:
    in_group = message.chat.type != "private"
    if in_group and not member.has(Role.ADMIN):
        await message.answer(lt.only_admins())
        return
    if command.args:
        await _choose(message, member, uow, clock, command.args.strip(), in_group)
        return
    current = await (languages.of_team(uow) if in_group else languages.of_member(uow, member))
    await message.answer(lt.ask_team() if in_group else lt.ask_member(),
                         reply_markup=lt.choices(current))


async def pick(query: CallbackQuery, callback_data: PickLanguage, member: Member,
               uow: UnitOfWork, clock: Clock) -> None:
    in_group = query.message is not None and query.message.chat.type != "private"
    if in_group and not member.has(Role.ADMIN):
        await query.answer(lt.only_admins(), show_alert=True)
        return
    code = shipped(callback_data.code)
    if code is None:
        await query.answer(lt.unknown(callback_data.code), show_alert=True)
        return
    await _save(member, uow, clock, code, in_group)
    with speaking(code):
        await query.answer(lt.team_set(code) if in_group else lt.member_set(code))
        if not in_group:  # in the team chat the notice comes through the outbox
            await edit_pressed(query, text=lt.member_set(code), reply_markup=None)


async def _choose(message: Message, member: Member, uow: UnitOfWork, clock: Clock, typed: str,
                  in_group: bool) -> None:
    code = shipped(typed)
    if code is None:
        await message.answer(lt.unknown(typed), reply_markup=lt.choices(""))
        return
    await _save(member, uow, clock, code, in_group)
    if not in_group:
        with speaking(code):
            await message.answer(lt.member_set(code))


async def _save(member: Member, uow: UnitOfWork, clock: Clock, code: str,
                in_group: bool) -> None:
    """Shipped codes only reach here; a refusal left is a lost role (the errors router)."""
    if in_group:
        await languages.choose_for_team(uow, member, code, clock.now(),
                                        words(lt.team_set, code))
    else:
        await languages.choose(uow, member, code, clock.now())


def router() -> Router:
    """A fresh router per dispatcher (a router can belong to one parent only)."""
    r = Router(name="language")
    r.message.filter(HasRole(*Role))
    r.callback_query.filter(HasRole(*Role))
    r.message.register(ask, Command("language"))
    r.callback_query.register(pick, PickLanguage.filter())
    return r
