"""`dispatchbot import FILE --as ID`: the same import as sending the file to the bot, from a
shell. Cards are queued in the outbox; the running bot delivers them."""

import asyncio
import sys
from pathlib import Path

from bot.app import build_i18n
from bot.config import Settings
from domain.clock import SystemClock
from domain.csv_import import plan_import
from domain.csv_table import read_table
from domain.errors import InvalidInput
from domain.members import Member
from domain.roles import Role
from services import team
from services.importing import ImportReport, run_import
from storage.engine import create_engine, create_session_factory
from storage.uow import UnitOfWork
from views import import_texts
from views.duplicate_texts import touch_notice
from views.importing import imported_notice, summary
from views.language import for_reader


def import_file(settings: Settings, file: str, actor_id: int) -> int:
    """0: every row imported; 1: some rows refused; 2: nothing could be done."""
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {file}: {exc.strerror or exc}")
    if len(data) > settings.import_max_bytes:
        return _fail(f"{file} is larger than IMPORT_MAX_BYTES ({settings.import_max_bytes})")
    i18n = build_i18n(settings.team_language)
    with i18n.context(), i18n.use_locale(i18n.default_locale):
        try:
            table = read_table(data)
        except InvalidInput as exc:
            return _fail(import_texts.table_problem(exc.detail))
        return asyncio.run(_run(settings, path.name, table, actor_id))


async def _run(settings: Settings, name: str, table, actor_id: int) -> int:  # type: ignore[no-untyped-def]
    engine = create_engine(settings.database_url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            await team.ensure_first_admins(uow, settings.admin_ids, SystemClock().now())
            actor = await _actor(uow, actor_id)
            if actor is None:
                return _fail(f"--as {actor_id}: no active admin with that Telegram or member id")
            plan = await asyncio.to_thread(plan_import, table, settings.phone_region,
                                           f"csv:{name}")

            async def progress(done: int, total: int) -> None:
                print(f"{done}/{total} rows", file=sys.stderr)

            report = await run_import(uow, actor, name, table, plan, SystemClock().now(),
                                      settings.quiet(), for_reader(touch_notice), for_reader(imported_notice), progress,
                                      settings.import_progress_every)
    finally:
        await engine.dispose()
    print(summary(report))
    return exit_status(report)


def exit_status(report: ImportReport) -> int:
    """0: every row imported; 1: some rows refused; 2: nothing done (no row imported or
    added to a known contact)."""
    if not report.refused:
        return 0
    return 1 if report.imported or report.attached else 2


async def _actor(uow: UnitOfWork, actor_id: int) -> Member | None:
    member = await uow.members.by_tg_user(actor_id) or await uow.members.get(actor_id)
    await uow.commit()
    return member if member and member.active and member.has(Role.ADMIN) else None


def _fail(message: str) -> int:
    print(f"dispatchbot: error: {message}", file=sys.stderr)
    return 2
