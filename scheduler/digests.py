"""Digests at set times in each person's own zone. The job runs often and sends a digest
when a slot passed since the person's last one, so a restart or a DST change skips none."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from domain.roles import Role
from domain.settings import DIGEST_TIMES
from domain.timing import digest_due, parse_times
from scheduler.context import JobContext
from services import digests, notify
from views import digest_texts, keyboards


async def send_digests(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        times = parse_times(await uow.settings.get(DIGEST_TIMES) or ctx.settings.digest_times)
        members = [m for m in await uow.members.list_all()
                   if digests.wants_dispatch_digest(m) or m.has(Role.MULTIPLIER)]
    for member in members:
        if member.last_digest_at is None:  # newcomers start from now, not with a backlog
            async with ctx.uow() as uow:
                await uow.members.update(member.id, last_digest_at=now)
                await uow.commit()
            continue
        zone = member.timezone or ctx.settings.team_timezone
        slot = digest_due(now, ZoneInfo(zone), times, member.last_digest_at)
        if slot is None:
            continue
        async with ctx.uow() as uow:
            parts, open_ids = [], []
            since = member.last_digest_at or slot - timedelta(days=1)
            with ctx.texts():
                if digests.wants_dispatch_digest(member):
                    d = await digests.for_dispatcher(uow, since, now)
                    if d:
                        parts.append(digest_texts.dispatcher(d, now))
                        open_ids = [c.id for c in d.waiting[: digest_texts.MAX_LINES]]
                if member.has(Role.MULTIPLIER):
                    m = await digests.for_multiplier(uow, member, ctx.nag_policy, now)
                    if m:
                        parts.append(digest_texts.multiplier(m, now, zone))
                markup = keyboards.open_cards(open_ids)
            if parts:  # an empty digest is not sent
                await notify.to_member(
                    uow, member, "\n\n".join(parts), now, ctx.quiet,
                    reply_markup=markup.model_dump_json() if markup else None,
                    dedupe_key=f"digest:{member.id}:{slot.isoformat()}")
            await uow.members.update(member.id, last_digest_at=slot)
            await uow.commit()
