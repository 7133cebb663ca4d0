"""Assembly: the bot, the dispatcher with its middlewares and routers, and the run loop."""

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.utils.i18n import I18n
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.contacts import ApiDeps
from api.form_limits import FormLimits, Limiter, MemoryLimiter, SharedLimiter
from api.forms import FormDeps
from api.limits import KeyLimits, Limits, SharedKeyLimits
from api.server import start_api
from bot.config import Settings
from bot.dialog_storage import BoundedMemoryStorage, StepStorage
from bot.idle_collector import IdleCollector
from bot.middlewares.database import UnitOfWorkMiddleware
from bot.middlewares.dedupe import DedupeMiddleware
from bot.middlewares.dialog_steps import DialogStepMiddleware
from bot.middlewares.in_hand import InHandMiddleware
from bot.middlewares.locale import ReaderLocaleMiddleware
from bot.middlewares.member import MemberMiddleware
from bot.telegram_session import TelegramSession
from domain.clock import Clock, SystemClock
from handlers import get_routers
from scheduler.context import JobContext
from scheduler.effects import AfterCommit
from scheduler.jobs import auto_dispatch
from scheduler.direct_answers import DirectAnswers
from scheduler.limits import FloodLimits, SharedFloodLimits
from scheduler.notices import close_stale_offer, tell_team_unreachable
from scheduler.render import Renderer
from scheduler.replica import replica_id
from scheduler.sender import OutboxSender
from scheduler.setup import OnDemand, start_scheduler
from services import team
from storage.engine import create_engine, create_session_factory
from storage.uow import UnitOfWork

if TYPE_CHECKING:  # optional extra: imported at run time only with REDIS_URL
    from redis.asyncio import Redis

    from scheduler.leader import Leadership
    from storage.shared import Budgets

log = logging.getLogger(__name__)
LOCALES = __file__.rsplit("/", 1)[0] + "/locales"


def build_bot(settings: Settings) -> Bot:
    """The Bot API base URL is a setting: Telegram's, a self-hosted server, or a test fake."""
    session = TelegramSession(api=TelegramAPIServer.from_base(settings.bot_api_base_url))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


#: A dialog left this long is forgotten (the person starts /new again), and at most this many
#: are kept in memory (the least recently used go first): see bot.dialog_storage.
DIALOG_IDLE = timedelta(hours=24)
DIALOG_MAX = 10_000


def build_storage(settings: Settings) -> BaseStorage:
    """Dialog state lives in Redis when replicas share the work, in memory otherwise. With a
    webhook it moves on only once an update was handled (bot.dialog_storage.StepStorage): an
    update is answered after it is handled there, so a person's next one comes after it;
    polling hands updates to concurrent tasks, where a fast answer to a prompt could be read
    before the prompting handler had finished."""
    storage: BaseStorage = BoundedMemoryStorage(DIALOG_IDLE.total_seconds(), DIALOG_MAX)
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(settings.redis_url, state_ttl=DIALOG_IDLE,
                                        data_ttl=DIALOG_IDLE)
    return StepStorage(storage) if settings.mode == "webhook" else storage


def build_i18n(team_language: str = "en") -> I18n:
    """The default is the team's language: for whoever has none of their own."""
    return I18n(path=LOCALES, default_locale=team_language, domain="messages")


def build_dispatcher(
    settings: Settings, session_factory: async_sessionmaker, clock: Clock, i18n: I18n,
    after_commit: AfterCommit, collector: IdleCollector | None = None,
) -> Dispatcher:
    """Routers get the settings, the clock and one unit of work per update; what a use case
    leaves to do after its commit is `after_commit`'s, never a router's."""
    storage = build_storage(settings)
    dp = Dispatcher(storage=storage, settings=settings, clock=clock)
    if collector is not None:
        dp.update.outer_middleware(InHandMiddleware(collector))
    dp.update.outer_middleware(DedupeMiddleware(session_factory, clock))
    if isinstance(storage, StepStorage):
        dp.update.outer_middleware(DialogStepMiddleware(storage))
    dp.update.outer_middleware(UnitOfWorkMiddleware(session_factory, after_commit))
    dp.update.outer_middleware(MemberMiddleware())
    ReaderLocaleMiddleware(i18n).setup(dp)
    dp.include_routers(*get_routers())
    log.info("routers", extra={"tree": _tree(dp)})
    return dp


def freeze_startup_objects() -> None:
    """Everything made so far (aiogram's and pydantic's models, SQLAlchemy's mappings, the
    routers: ~280,000 objects) lives as long as the process. Python's full collection walked
    them all, ~230 ms on this machine, inside whichever press or POST it interrupted (the
    API's p99 in benchmarks.intake_io was that pause). Frozen (`gc.freeze`), the collector
    skips them; what is made from now on is collected as before."""
    gc.collect()
    gc.freeze()


def _tree(router: Router) -> list:
    return [router.name, [_tree(r) for r in router.sub_routers]]


async def run(
    settings: Settings,
    clock: Clock | None = None,
    handle_signals: bool = True,
    on_ready: Callable[[JobContext], None] | None = None,
) -> None:
    """Serve until stopped. Migrations are applied before this (see bot.cli)."""
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    bot = build_bot(settings)
    owner = replica_id()
    redis = _connect_redis(settings)
    background: list[asyncio.Task] = []
    scheduler, autodispatch = None, None
    api_runner, dp = None, None
    try:
        me = await bot.get_me()
        _warn_if_alone(settings)
        budgets = _budgets(redis, me.id)
        async with UnitOfWork(session_factory) as uow:
            await team.ensure_first_admins(uow, settings.admin_ids, clock.now())
        i18n = build_i18n(settings.team_language)
        sender = build_sender(bot, session_factory, clock, settings, owner, budgets)
        bot.session.middleware(DirectAnswers(sender.limits))
        after_commit = AfterCommit(sender)
        ctx = JobContext(bot, session_factory, clock, settings, i18n, sender, after_commit)
        sender.on_unreachable = lambda result: tell_team_unreachable(ctx, result)
        sender.on_stale_offer = lambda chat, message: close_stale_offer(ctx, chat, message)
        sender.render = Renderer(session_factory, clock, i18n)
        background.append(asyncio.create_task(sender.run(), name="outbox"))
        leadership = _leadership(redis, me.id, owner, settings)
        scheduler = start_scheduler(ctx, leadership)
        if leadership is not None:
            background.append(asyncio.create_task(leadership.run(), name="leader"))
        autodispatch = after_commit.autodispatch = OnDemand(auto_dispatch, ctx)
        collector = IdleCollector()
        dp = build_dispatcher(settings, session_factory, clock, i18n, after_commit, collector)
        if on_ready:
            on_ready(ctx)
        freeze_startup_objects()
        background.append(asyncio.create_task(collector.run(), name="collector"))
        log.info("starting", extra={"bot": me.username, "mode": settings.mode})
        api = ApiDeps(ctx, build_key_limits(settings, budgets))
        forms = build_form_deps(ctx, settings, me.username or "", budgets)
        if settings.mode == "webhook":
            from bot.webhook import serve_webhook

            await serve_webhook(dp, bot, settings, api, forms, handle_signals)
        else:
            if settings.api_port is not None:  # the API and the web forms: one port
                api_runner = await start_api(api, settings.api_host, settings.api_port, forms)
            await bot.delete_webhook(drop_pending_updates=False)
            await _poll(dp, bot, handle_signals)
    finally:
        if api_runner:
            await api_runner.cleanup()
        if scheduler:
            scheduler.shutdown(wait=False)
        if autodispatch:
            await autodispatch.stop()
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        if dp is not None:
            await _finish_updates(dp)
        await bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()


#: How long a stop waits for updates still being handled before cancelling them.
UPDATES_GRACE_SECONDS = 10.0


async def _finish_updates(dp: Dispatcher) -> None:
    """Updates still in hand when polling stops finish (or are cancelled after a grace
    period) before the database goes away: a handler cut off mid-transaction by a disposed
    engine could neither commit nor roll back cleanly."""
    in_hand = set(dp._handle_update_tasks)  # aiogram keeps no public handle on them
    if not in_hand:
        return
    _done, late = await asyncio.wait(in_hand, timeout=UPDATES_GRACE_SECONDS)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)


def _warn_if_alone(settings: Settings) -> None:
    """A webhook on PostgreSQL looks like one of several replicas; without Redis it cannot
    share their flood budget or scheduler, so it says what it assumes."""
    if settings.mode == "webhook" and not settings.redis_url and \
            make_url(settings.database_url).get_backend_name() == "postgresql":
        log.warning("webhook mode on PostgreSQL without REDIS_URL: this process assumes it is "
                    "the only replica (its own flood limits and scheduler; rows left 'sending' "
                    "are taken over at start-up); set REDIS_URL to run several")


def _connect_redis(settings: Settings) -> "Redis | None":
    """Shared mode (REDIS_URL): the flood budgets, the API's per-key limits and the scheduler's
    leader live in Redis. Imported only then: redis is an optional extra."""
    if not settings.redis_url:
        return None
    from storage.shared import connect

    return connect(settings.redis_url)


def _budgets(redis: "Redis | None", bot_id: int) -> "Budgets | None":
    """One bot's budgets (Telegram's limits are per bot), apart from another's on one Redis."""
    if redis is None:
        return None
    from storage.shared import Budgets

    return Budgets(redis, f"dispatchbot:{bot_id}:")


def _leadership(redis: "Redis | None", bot_id: int, owner: str,
                settings: Settings) -> "Leadership | None":
    """Several replicas: the jobs run on the one holding the leader lease. One process
    (no REDIS_URL) always runs them."""
    if redis is None:
        return None
    from scheduler.leader import Leadership
    from storage.shared import Lease

    seconds = settings.leader_lease_seconds
    return Leadership(Lease(redis, f"dispatchbot:{bot_id}:leader", owner, seconds), seconds)


def build_key_limits(settings: Settings, budgets: "Budgets | None" = None) -> Limits:
    if budgets is None:
        return KeyLimits(settings.api_rate_per_minute)
    return SharedKeyLimits(budgets, settings.api_rate_per_minute)


def build_form_deps(ctx: JobContext, settings: Settings, bot_username: str,
                    budgets: "Budgets | None" = None) -> FormDeps:
    limits = FormLimits(_form_limiter(budgets, "ip", settings.form_rate_per_ip_per_minute),
                        _form_limiter(budgets, "form", settings.form_rate_per_form_per_minute))
    return FormDeps(ctx, limits, settings.form_key(), bot_username)


def _form_limiter(budgets: "Budgets | None", name: str, per_minute: int) -> Limiter:
    """With REDIS_URL every replica takes from one bucket per address and per form."""
    if budgets is None:
        return MemoryLimiter(per_minute)
    return SharedLimiter(budgets, f"form-{name}", per_minute)


def build_sender(bot: Bot, session_factory: async_sessionmaker, clock: Clock,
                 settings: Settings, owner: str | None = None,
                 budgets: "Budgets | None" = None) -> OutboxSender:
    """With REDIS_URL (`budgets`) other replicas share the outbox and the flood limits:
    rows another process is sending are left to its lease; without, this process is the
    only sender (see README)."""
    limits = (FloodLimits(settings.send_overall_per_second, settings.send_private_interval,
                          settings.send_group_interval) if budgets is None else
              SharedFloodLimits(budgets, settings.send_overall_per_second,
                                settings.send_private_interval, settings.send_group_interval))
    return OutboxSender(bot, session_factory, clock, limits, settings.outbox_poll_seconds,
                        owner=owner, lease_seconds=settings.outbox_lease_seconds,
                        alone=not settings.redis_url)


async def _poll(dp: Dispatcher, bot: Bot, handle_signals: bool) -> None:
    """Polling that also stops cleanly when our task is cancelled (aiogram would leave its
    inner polling task running): cancellation becomes aiogram's own graceful stop."""
    polling = asyncio.ensure_future(
        dp.start_polling(bot, handle_signals=handle_signals, close_bot_session=False)
    )
    try:
        await asyncio.shield(polling)
    except asyncio.CancelledError:
        with contextlib.suppress(RuntimeError):  # cancelled before polling began
            await dp.stop_polling()
        await polling
        raise
