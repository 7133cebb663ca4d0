"""Queueing the bot's own messages: to a member (their quiet hours honoured) or to the team,
each in the language its reader reads (services.languages)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from domain.contacts import Contact
from domain.delivery import Purpose
from domain.members import Member, NotifyMode
from domain.offers import Release
from domain.outbox import Enqueue
from domain.roles import DISPATCH_ROLES
from domain.timing import quiet_until
from services import languages
from services.ports import UnitOfWork
from services.transaction import use_case


@dataclass(frozen=True)
class Quiet:
    """Quiet hours, read in each person's own zone; the team zone for those who set none."""

    start: time | None
    end: time | None
    team_zone: str

    def zone(self, member: Member) -> ZoneInfo:
        return ZoneInfo(member.timezone or self.team_zone)

    def release(self, member: Member, now: datetime) -> datetime:
        if self.start is None or self.end is None:
            return now
        return quiet_until(now, self.zone(member), self.start, self.end) or now


NO_QUIET = Quiet(None, None, "UTC")

#: A text made for a locale (views.language.words): rendered for whoever reads it.
Words = Callable[[str], str]


async def for_member(uow: UnitOfWork, member: Member, text: str | Words) -> str:
    return text(await languages.of_member(uow, member)) if callable(text) else text


async def for_team(uow: UnitOfWork, text: str | Words) -> str:
    return text(await languages.of_team(uow)) if callable(text) else text


@use_case
async def to_member(
    uow: UnitOfWork,
    member: Member,
    text: str | Words,
    now: datetime,
    quiet: Quiet,
    reply_markup: str | None = None,
    urgent: bool = False,
    purpose: str = "notice",
    ref_id: int | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Not committed: the caller's transaction carries the state change and its message."""
    return await uow.outbox.add(
        Enqueue(
            chat_id=member.tg_user_id,
            member_id=member.id,
            text=await for_member(uow, member, text),
            reply_markup=reply_markup,
            purpose=purpose,
            ref_id=ref_id,
            dedupe_key=dedupe_key,
            not_before=now if urgent else quiet.release(member, now),
        ),
        now,
    )


@use_case
async def to_realtime_dispatchers(uow: UnitOfWork, text: str | Words, now: datetime, quiet: Quiet,
                                  purpose: str = "notice", ref_id: int | None = None) -> None:
    """Real-time dispatchers hear at once; the others read it in their next digest.
    An empty text with a purpose is rendered when sent (scheduler.render)."""
    for member in await uow.members.list_all():
        if member.has(*DISPATCH_ROLES) and member.notify_mode is NotifyMode.REALTIME:
            await to_member(uow, member, text, now, quiet, purpose=purpose, ref_id=ref_id)


@use_case
async def ping_dispatchers(uow: UnitOfWork, text: str | Words, now: datetime, quiet: Quiet) -> None:
    """A per-event ping after a change already committed (its own small transaction)."""
    await to_realtime_dispatchers(uow, text, now, quiet)
    await uow.commit()


@use_case
async def to_team(
    uow: UnitOfWork, text: str | Words, now: datetime, reply_markup: str | None = None,
    dedupe_key: str | None = None, purpose: str = Purpose.NOTICE,
) -> bool:
    """The team chat is always on: escalations and alarms go out at once (and, as
    Purpose.ALARM, before anything else queued for the chat)."""
    chat_id = await uow.settings.team_chat_id()
    if chat_id is None:
        return False
    return await uow.outbox.add(
        Enqueue(chat_id=chat_id, text=await for_team(uow, text), reply_markup=reply_markup, dedupe_key=dedupe_key,
                purpose=purpose),
        now,
    )


@dataclass(frozen=True)
class Subject:
    """What a ping rendered when sent is about, read as it is at that moment."""

    contact: Contact
    multiplier_name: str | None = None  # for a decline or a lapse: whose offer it was
    release: Release | None = None  # for a holder let go: how (services.release)


#: Rows rendered when sent whose reference is an offer (the others name the contact).
OFFER_REFERENCES = frozenset({Purpose.DECLINED, Purpose.EXPIRED_PING, Purpose.RELEASED,
                              Purpose.RELEASED_EDIT})


@use_case
async def subject(uow: UnitOfWork, purpose: Purpose, ref_id: int) -> Subject | None:
    """None when the reference is gone (the ping is then dropped, not sent empty)."""
    if purpose in OFFER_REFERENCES:
        offer = await uow.offers.get(ref_id)
        member = await uow.members.get(offer.multiplier_id) if offer else None
        contact = await uow.contacts.get(offer.contact_id) if offer else None
        await uow.commit()
        if contact is None or offer is None:
            return None
        return Subject(contact, member.name if member else "?", offer.release)
    contact = await uow.contacts.get(ref_id)
    await uow.commit()
    return Subject(contact) if contact else None


@use_case
async def tell_team(uow: UnitOfWork, text: str | Words, now: datetime) -> bool:
    """A notice to the team chat in its own transaction (e.g. a job's summary)."""
    queued = await to_team(uow, text, now)
    await uow.commit()
    return queued
