"""Webhook mode: aiohttp serves Telegram's calls; the secret token header is checked."""

import asyncio

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from api.contacts import ApiDeps
from api.forms import FormDeps
from api.server import add_routes
from bot.config import Settings


async def serve_webhook(dp: Dispatcher, bot: Bot, settings: Settings,
                        api: ApiDeps | None = None, forms: FormDeps | None = None) -> None:
    """The intake API and the web forms (when given) share the server: one port to expose."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(
        app, path=settings.webhook_path
    )
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
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
