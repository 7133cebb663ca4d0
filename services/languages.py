"""Who reads which language: a member's /language, the team chat's, a seeker's (the order is
domain.locales'). Every message is rendered for its reader, also when a job or another person
caused it; an empty locale stands for the deployment's TEAM_LANGUAGE."""

from collections.abc import Callable
from datetime import datetime

from domain.errors import InvalidInput
from domain.locales import seeker_locale, shipped
from domain.members import Member
from domain.outbox import Enqueue
from domain.roles import Role
from domain.settings import TEAM_LANGUAGE
from services.access import require
from services.ports import UnitOfWork
from services.transaction import use_case


@use_case
async def of_member(uow: UnitOfWork, member: Member) -> str:
    return member.reads(await uow.settings.team_language())


@use_case
async def of_recipient(uow: UnitOfWork, member_id: int | None, chat_id: int) -> str:
    """Who reads an outbox row: its member, else the team chat (or whoever owns the chat)."""
    member = await uow.members.get(member_id) if member_id else None
    if member is not None:
        return await of_member(uow, member)
    return await of_tg_user(uow, chat_id) if chat_id > 0 else await of_team(uow)


@use_case
async def of_tg_user(uow: UnitOfWork, tg_user_id: int) -> str:
    """Whoever a private chat belongs to: a member reads theirs, anyone else the team's."""
    member = await uow.members.by_tg_user(tg_user_id)
    return await of_member(uow, member) if member else await of_team(uow)


@use_case
async def of_team(uow: UnitOfWork) -> str:
    return await uow.settings.team_language()


@use_case
async def of_seeker(uow: UnitOfWork, tg_user_id: int, telegram_language: str | None) -> str:
    """Their contact record's language first: a seeker who writes Russian from an English
    phone reads Russian."""
    conv = await uow.conversations.by_seeker(tg_user_id)
    contact = await uow.contacts.get(conv.contact_id) if conv and conv.contact_id else None
    return seeker_locale(contact.details.language if contact else None, telegram_language,
                         await uow.settings.team_language())


@use_case
async def note_telegram_language(uow: UnitOfWork, member: Member, code: str | None) -> None:
    """Telegram's language_code the first time we see it (at join, or a first admin's first
    update): the member's language until they choose one."""
    if member.telegram_language is None and code:
        await uow.members.update(member.id, telegram_language=code[:16])
        await uow.commit()


@use_case
async def choose(uow: UnitOfWork, member: Member, code: str, now: datetime) -> str:
    locale = _shipped(code)
    await uow.members.update(member.id, locale=locale)
    await uow.audit.record(now, member.id, "member", member.id, "language", member.locale,
                           locale)
    await uow.commit()
    return locale


@use_case
async def choose_for_team(uow: UnitOfWork, actor: Member | None, code: str, now: datetime,
                          notice: Callable[[str], str]) -> str:
    """The team chat hears of it (through the outbox, in the language just chosen)."""
    actor = require(actor, Role.ADMIN)
    locale, before = _shipped(code), await uow.settings.team_language()
    await uow.settings.set(TEAM_LANGUAGE, locale)
    chat_id = await uow.settings.team_chat_id()
    if chat_id is not None:
        await uow.outbox.add(Enqueue(chat_id=chat_id, text=notice(locale)), now)
    await uow.audit.record(now, actor.id, "settings", 0, "team_language", before or None,
                           locale)
    await uow.commit()
    return locale


def _shipped(code: str) -> str:
    locale = shipped(code)
    if locale is None:
        raise InvalidInput("language")
    return locale
