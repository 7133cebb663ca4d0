"""HTTP side of the fake: routes, request decoding, Telegram's response envelope.

aiogram posts urlencoded or multipart forms whose values are strings (nested objects as
JSON strings, files as `attach://<part>` references); JSON bodies and query strings are
accepted too. Values are decoded here once, so method implementations and `fake.calls`
see ints, bools and dicts.
"""

from __future__ import annotations

import inspect
import json
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .methods import METHODS
from .state import ApiError, UploadedFile, bad_request

if TYPE_CHECKING:
    from .telegram import FakeTelegram

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 50 * 1024 * 1024  # Telegram's upload limit for bots

_INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "message_thread_id",
        "reply_to_message_id",
        "duration",
        "width",
        "height",
        "until_date",
        "max_connections",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
        "revoke_messages",
        "only_if_banned",
        "for_channels",
        "allow_paid_broadcast",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "reply_parameters",
        "media",
        "menu_button",
        "rights",
        "message_ids",
    }
)
_STRING_IDS = frozenset({"chat_id", "from_chat_id"})  # may be "@username"


def decode_value(name: str, value: Any) -> Any:
    """Turn a form string into the type the Bot API documents for `name`."""
    if not isinstance(value, str):
        return value
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_PARAMS:
        try:
            return int(value)
        except ValueError:
            if name in _STRING_IDS:
                return value
            raise bad_request(f"invalid {name} specified") from None
    if name in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of a Bot API request, decoded, with uploads as `UploadedFile`."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, UploadedFile] = {}
    if request.content_type == "application/json":
        if request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON body must be an object")
            raw.update(body)
    elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[name] = UploadedFile(value.filename, value.file.read(), value.content_type)
            else:
                raw[name] = value if isinstance(value, str) else bytes(value).decode()
    for name, value in list(raw.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            raw[name] = uploads.pop(value.removeprefix("attach://"), value)
    raw.update(uploads)  # files posted directly under the parameter name
    return {name: decode_value(name, value) for name, value in raw.items()}


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.envelope(), status=error.error_code)


class BotApiServer:
    """aiohttp server exposing `/bot<token>/<method>` and `/file/bot<token>/<path>`."""

    def __init__(self, fake: FakeTelegram) -> None:
        self._fake = fake
        self._runner: web.AppRunner | None = None

    async def start(self, host: str) -> str:
        """Listen on a free port; returns the base URL."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a long poll whose client went away stops waiting
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"http://{host}:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle_api(self, request: web.Request) -> web.Response:
        fake = self._fake
        if request.match_info["token"] not in fake.valid_tokens:
            return _error_response(ApiError(401, "Unauthorized"))
        spelled = request.match_info["method"]
        method = spelled.lower()
        try:
            params = await read_params(request)
        except ApiError as error:
            return _error_response(error)
        fake.record_call(method, params)
        implementation = METHODS.get(method)
        if implementation is None:
            # Telegram's answer, but also an error of the test: fake.check() fails it
            logger.error("the bot called %s, which the fake does not implement", spelled)
            fake.unknown_calls.append((method, params))
            fake.unexpected.append(spelled)
            return _error_response(ApiError(404, "Not Found: method not found"))

        long_poll = method == "getupdates"
        if not long_poll:
            fake.call_started()
        try:
            failure = fake.take_failure(method, params)
            if failure is None and fake.flood is not None:
                failure = fake.flood.check(method, params)
            if failure is not None:
                fake.refused_counts[method] += 1
                raise failure  # before the implementation: a refused call changes nothing
            result = implementation(fake, params)
            if inspect.isawaitable(result):
                result = await result
            fake.ok_counts[method] += 1
        except ApiError as error:
            return _error_response(error)
        except Exception as exc:  # a bug in the fake: report it loudly, keep serving
            logger.exception("fake Telegram failed on %s", method)
            fake.server_errors.append(f"{method}: {exc!r}")
            return _error_response(ApiError(500, f"Internal Server Error: {exc!r}"))
        finally:
            if not long_poll:
                fake.call_finished()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self._fake.valid_tokens:
            return _error_response(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self._fake.files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.data, content_type=stored.mime_type or "application/octet-stream"
                )
        return _error_response(ApiError(404, "Not Found"))
