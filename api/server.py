"""Where the API and the web lead forms are served: on the webhook server (webhook mode) or
on their own port (polling mode with API_PORT set)."""

from aiohttp import web

from api import forms
from api.contacts import API, ApiDeps, create_contact
from api.openapi import document


async def _openapi(request: web.Request) -> web.Response:
    return web.json_response(document())


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def add_routes(app: web.Application, deps: ApiDeps,
               form_deps: forms.FormDeps | None = None) -> None:
    app[API] = deps
    app.router.add_post("/api/v1/contacts", create_contact)
    app.router.add_get("/api/v1/openapi.json", _openapi)
    app.router.add_get("/api/v1/health", _health)
    if form_deps is not None:
        forms.add_routes(app, form_deps)


async def start_api(deps: ApiDeps, host: str, port: int,
                    form_deps: forms.FormDeps | None = None) -> web.AppRunner:
    app = web.Application()
    add_routes(app, deps, form_deps)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
