"""The team: first admins, invites, roles, deactivation, profiles, the bound team chat."""

import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from domain.clock import as_utc
from domain.errors import AlreadyDone, InvalidInput, NoLongerAvailable, NotAllowed
from domain.members import MAX_CAPACITY, Member, NotifyMode, Profile
from domain.roles import Role
from domain.settings import DIGEST_TIMES, TEAM_CHAT
from domain.timing import parse_times
from services import notify
from services.access import found, require
from services.leavers import LeaverWords, hand_over
from services.ports import UnitOfWork
from services.transaction import use_case
from services.triage import show_card


#: (locale, the member who joined, the role) -> the notice for the admin who invited them.
ComposeJoined = Callable[[str, Member, Role], str]


@dataclass(frozen=True)
class Joined:
    member: Member
    role: Role


@use_case
async def ensure_first_admins(uow: UnitOfWork, tg_user_ids: list[int], now: datetime) -> None:
    """Config names the first admins; they exist (and are admins) before they ever write."""
    for tg_user_id in tg_user_ids:
        member = await uow.members.by_tg_user(tg_user_id)
        if member is None:
            member = await uow.members.add(tg_user_id, f"Admin {tg_user_id}", None, {Role.ADMIN}, now)
            await uow.audit.record(now, None, "member", member.id, "first_admin", None, "admin")
        elif Role.ADMIN not in member.roles or not member.active:
            await uow.members.set_roles(member.id, {*member.roles, Role.ADMIN})
            await uow.members.update(member.id, active=True)
            await uow.audit.record(now, None, "member", member.id, "first_admin", None, "admin")
    await uow.commit()


@use_case
async def greet(
    uow: UnitOfWork, member: Member, name: str, username: str | None, now: datetime
) -> Member:
    """Keep the name people see in /team in step with Telegram."""
    if (member.name, member.username) != (name, username):
        await uow.members.update(member.id, name=name, username=username)
    if member.unreachable_at is not None:  # they wrote to us: the bot can reach them again
        await uow.members.update(member.id, unreachable_at=None)
        await uow.audit.record(now, member.id, "member", member.id, "reachable", None, None)
    member = found(await uow.members.get(member.id), "member")
    await uow.commit()
    return member


@use_case
async def create_invite(
    uow: UnitOfWork, actor: Member | None, role: Role, now: datetime, ttl: timedelta
) -> str:
    actor = require(actor, Role.ADMIN)
    token = secrets.token_urlsafe(12)
    await uow.invites.add(token, role.value, actor.id, now, now + ttl)
    await uow.audit.record(now, actor.id, "invite", 0, "create", None, role.value)
    await uow.commit()
    return token


@use_case
async def join(
    uow: UnitOfWork, token: str, tg_user_id: int, name: str, username: str | None, now: datetime,
    *, compose_notice: ComposeJoined | None = None, quiet: notify.Quiet = notify.NO_QUIET,
    language: str | None = None,
) -> Joined:
    """`compose_notice`: the words for the admin who made the invite, queued with the join.
    `language`: Telegram's language_code, what they read until they choose (domain.locales)."""
    invite = await uow.invites.get(token)
    if invite is None or invite.used_by is not None or as_utc(invite.expires_at) <= now:
        raise NoLongerAvailable("invite")
    role = Role(invite.role)
    member = await uow.members.by_tg_user(tg_user_id)
    if member is None:
        member = await uow.members.add(tg_user_id, name, username, {role}, now)
    else:
        await uow.members.set_roles(member.id, {*member.roles, role})
        await uow.members.update(member.id, active=True, name=name, username=username)
    if not await uow.invites.use(token, member.id, now):
        await uow.rollback()
        raise NoLongerAvailable("invite")
    await uow.audit.record(now, member.id, "member", member.id, "join", None, role.value)
    if language:
        await uow.members.update(member.id, telegram_language=language[:16])
    member = found(await uow.members.get(member.id), "member")
    inviter = await uow.members.get(invite.created_by)
    if compose_notice and inviter and inviter.active and inviter.id != member.id:
        await notify.to_member(uow, inviter, lambda locale: compose_notice(locale, member, role),
                               now, quiet)
    await uow.commit()
    return Joined(member, role)


@use_case
async def list_team(uow: UnitOfWork, actor: Member | None) -> list[Member]:
    require(actor, *Role)
    members = await uow.members.list_all()
    await uow.commit()
    return members


@use_case
async def toggle_role(
    uow: UnitOfWork, actor: Member | None, member_id: int, role: Role, now: datetime,
    leaving: LeaverWords,
) -> Member:
    """`leaving`: the words for the team when a multiplier loses the role (services.leavers)."""
    actor = require(actor, Role.ADMIN)
    member = found(await uow.members.get(member_id), "member")
    roles = set(member.roles) ^ {role}
    if member.id == actor.id and role is Role.ADMIN:
        raise NotAllowed("own_admin")
    await uow.members.set_roles(member.id, roles)
    await uow.audit.record(
        now, actor.id, "member", member.id, "roles", sorted(member.roles), sorted(roles)
    )
    if member.is_multiplier and role is Role.MULTIPLIER:
        await hand_over(uow, actor.id, member, False, now, leaving)
    member = found(await uow.members.get(member_id), "member")
    await uow.commit()
    return member


@use_case
async def set_active(
    uow: UnitOfWork, actor: Member | None, member_id: int, active: bool, now: datetime,
    leaving: LeaverWords,
) -> Member:
    """`leaving`: the words for the team when someone who held seekers leaves (services.leavers)."""
    actor = require(actor, Role.ADMIN)
    member = found(await uow.members.get(member_id), "member")
    if member.id == actor.id:
        raise NotAllowed("self")
    if member.active == active:
        raise AlreadyDone("active")
    await uow.members.update(member.id, active=active)
    await uow.audit.record(now, actor.id, "member", member.id, "active", member.active, active)
    if not active:
        await hand_over(uow, actor.id, member, True, now, leaving)
    member = found(await uow.members.get(member_id), "member")
    await uow.commit()
    return member


@use_case
async def bind_team_chat(uow: UnitOfWork, actor: Member | None, chat_id: int, now: datetime) -> None:
    actor = require(actor, Role.ADMIN)
    before = await uow.settings.team_chat_id()
    await uow.settings.set(TEAM_CHAT, str(chat_id))
    await uow.audit.record(now, actor.id, "settings", 0, "bind_team_chat", before, chat_id)
    for conv in await uow.conversations.unposted():  # seekers who wrote before there was one
        await show_card(uow, conv.id, now, fresh=True)
    await uow.commit()


@use_case
async def save_profile(
    uow: UnitOfWork, actor: Member | None, profile: Profile, now: datetime
) -> Member:
    actor = require(actor, Role.MULTIPLIER)
    if not 0 <= profile.capacity <= MAX_CAPACITY:
        raise InvalidInput("capacity")
    await uow.members.save_profile(actor.id, profile)
    await uow.audit.record(now, actor.id, "member", actor.id, "profile", None, asdict(profile))
    member = found(await uow.members.get(actor.id), "member")
    await uow.commit()
    return member


@use_case
async def set_timezone(uow: UnitOfWork, actor: Member, tz: str, now: datetime) -> None:
    await uow.members.update(actor.id, timezone=tz)
    await uow.audit.record(now, actor.id, "member", actor.id, "timezone", actor.timezone, tz)
    await uow.commit()



@use_case
async def get_member(uow: UnitOfWork, actor: Member | None, member_id: int) -> Member:
    require(actor, Role.ADMIN)
    member = found(await uow.members.get(member_id), "member")
    await uow.commit()
    return member


@use_case
async def set_notify_mode(uow: UnitOfWork, actor: Member, mode: NotifyMode, now: datetime) -> None:
    await uow.members.update(actor.id, notify_mode=mode.value)
    await uow.audit.record(now, actor.id, "member", actor.id, "notify_mode", actor.notify_mode, mode)
    await uow.commit()


@use_case
async def set_digest_times(uow: UnitOfWork, actor: Member | None, text: str, now: datetime) -> str:
    """Admins set the team's digest times; each person gets them in their own zone."""
    actor = require(actor, Role.ADMIN)
    try:
        times = parse_times(text)
    except ValueError as exc:
        raise InvalidInput("times") from exc
    value = ",".join(t.strftime("%H:%M") for t in times)
    before = await uow.settings.get(DIGEST_TIMES)
    await uow.settings.set(DIGEST_TIMES, value)
    await uow.audit.record(now, actor.id, "settings", 0, "digest_times", before, value)
    await uow.commit()
    return value
