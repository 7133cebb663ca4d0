"""Webhook mode: aiohttp serves Telegram's calls; the secret token header is checked."""

import asyncio
import signal

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from api.contacts import ApiDeps
from api.forms import FormDeps
from api.server import add_routes
from bot.config import Settings


async def serve_webhook(dp: Dispatcher, bot: Bot, settings: Settings,
                        api: ApiDeps | None = None, forms: FormDeps | None = None,
                        handle_signals: bool = True) -> None:
    """The intake API and the web forms (when given) share the server: one port to expose.
    SIGTERM (a replica stopped by its supervisor) stops it cleanly: requests in hand are
    finished, and the assembly gives back the scheduler's lease and the messages not yet sent."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app = web.Application()
    # Answered once handled, not on arrival: Telegram delivers an update again until it gets
    # a 2xx, so a replica killed mid-update leaves it to another one (the update's first
    # committed change is recorded with it, so a repeat is dropped: see the dedupe middleware).
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret,
                         handle_in_background=False).register(app, path=settings.webhook_path)
    if api is not None:
        add_routes(app, api, forms)
    setup_application(app, dp, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    if settings.webhook_url:  # only once we listen, so the first delivery finds us ready
        await bot.set_webhook(
            settings.webhook_url.rstrip("/") + settings.webhook_path, secret_token=secret
        )
    stop = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT) if handle_signals else ()
    for sig in signals:
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            asyncio.get_running_loop().remove_signal_handler(sig)
        await runner.cleanup()
