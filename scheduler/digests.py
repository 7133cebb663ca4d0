"""Digests at set times in each person's own zone. The job runs often and sends a digest
when a slot passed since the person's last one, so a restart or a DST change skips none."""

from zoneinfo import ZoneInfo

from domain.members import Member
from domain.timing import digest_due
from scheduler.context import JobContext
from services import digests
from services.digests import DispatcherDigest, Due, MultiplierDigest, OperatorDigest
from views import digest_texts, keyboards
from views.language import for_reader


async def send_digests(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        readers = await digests.readers(uow, ctx.settings.digest_times)
    due = []
    for member in readers.members:
        slot = None
        if member.last_digest_at is not None:
            slot = digest_due(now, ZoneInfo(_zone(ctx, member)), readers.times,
                              member.last_digest_at)
            if slot is None:
                continue
        due.append(Due(member, slot))
    if not due:
        return

    @for_reader
    def compose(member: Member, d: DispatcherDigest | None, m: MultiplierDigest | None,
                o: OperatorDigest | None) -> tuple[str, str | None]:
        parts = ([digest_texts.dispatcher(d, now)] if d else []) + \
                ([digest_texts.multiplier(m, now, _zone(ctx, member))] if m else []) + \
                ([digest_texts.operator(o)] if o else [])
        markup = keyboards.open_cards([c.id for c in d.waiting[: digest_texts.MAX_LINES]]
                                      if d else [])
        return "\n\n".join(parts), markup.model_dump_json() if markup else None

    async with ctx.uow() as uow:
        with ctx.texts():
            await digests.send(uow, due, now, ctx.nag_policy, ctx.quiet, compose,
                               ctx.settings.undispatched_alarm_hours)


def _zone(ctx: JobContext, member: Member) -> str:
    return member.timezone or ctx.settings.team_timezone
