"""Where the API is served: on the webhook server (webhook mode) or on its own port
(polling mode with API_PORT set)."""

from aiohttp import web

from api.contacts import API, ApiDeps, create_contact
from api.openapi import document


async def _openapi(request: web.Request) -> web.Response:
    return web.json_response(document())


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def add_routes(app: web.Application, deps: ApiDeps) -> None:
    app[API] = deps
    app.router.add_post("/api/v1/contacts", create_contact)
    app.router.add_get("/api/v1/openapi.json", _openapi)
    app.router.add_get("/api/v1/health", _health)


async def start_api(deps: ApiDeps, host: str, port: int) -> web.AppRunner:
    app = web.Application()
    add_routes(app, deps)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
