"""Several real `dispatchbot run` processes in webhook mode behind a round-robin reverse
proxy on 127.0.0.1: what the README's "Running several replicas" section describes (its
nginx example does what RoundRobinProxy does). Used by the fault test and the benchmark."""

import asyncio
import contextlib
import itertools
import json
import os
import signal
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from tests.fake_telegram.webhook import chat_of

SECRET = "scale-test-secret"
#: What a request's answer carries on the way back: which replica served it.
SERVED_BY = "X-Served-By"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command() -> list[str]:
    script = Path(sys.executable).parent / "dispatchbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@dataclass
class Replica:
    """One `dispatchbot run`, restartable on its port; every incarnation logs (JSON lines)
    to its own file."""

    name: str
    port: int
    env: dict[str, str]
    workdir: Path
    proc: asyncio.subprocess.Process | None = None
    logs: list[Path] = field(default_factory=list)

    async def start(self) -> None:
        log = self.workdir / f"{self.name}-{len(self.logs) + 1}.log"
        self.logs.append(log)
        with log.open("wb") as stderr:
            self.proc = await asyncio.create_subprocess_exec(
                *command(), "run", cwd=self.workdir, stdout=asyncio.subprocess.DEVNULL,
                stderr=stderr, env={**self.env, "WEBHOOK_PORT": str(self.port)})

    async def ready(self, timeout: float = 180) -> None:
        """Serving: its health endpoint answers (it has set the webhook by then). Importing
        aiogram alone takes seconds on a busy machine, hence the patience."""
        async with aiohttp.ClientSession() as http, asyncio.timeout(timeout):
            while True:
                assert self.alive, f"{self.name} exited: {self.tail()}"
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{self.port}/api/v1/health") as r:
                        if r.status == 200:
                            return
                await asyncio.sleep(0.2)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> int:
        if not self.alive:
            return 0
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()

    def events(self, containing: str = "") -> list[dict[str, Any]]:
        """The JSON log lines (those `containing` a text) of every incarnation, with `process`
        (this replica's name) and `incarnation` (1, 2, ...) added. Slow for long logs: call
        it in a thread while the fake Bot API is timing sends in this process."""
        out = []
        for n, path in enumerate(self.logs, start=1):
            for line in path.read_text(errors="replace").splitlines():
                if containing not in line:
                    continue
                with contextlib.suppress(ValueError):
                    event = json.loads(line)
                    if isinstance(event, dict):
                        out.append({**event, "process": self.name, "incarnation": n})
        return out

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.logs[-1].read_text(errors="replace").splitlines()[-lines:]) \
            if self.logs else ""


class RoundRobinProxy:
    """Each request to the next replica in turn; a replica that refuses the connection
    (down) is skipped for the next one, and a request it dropped mid-way gets 502, as
    nginx's `proxy_next_upstream error` does for a POST. Remembers who served what."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.served: list[tuple[str, int, int]] = []  # (path, upstream port, status)
        # updates answered 2xx: (monotonic time, chat, upstream port)
        self.updates: list[tuple[float, int, int]] = []
        self.answers: Counter[int] = Counter()
        self._turn = itertools.cycle(range(len(ports)))
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = 0

    async def start(self) -> int:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application(client_max_size=1 << 24)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._http is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "content-length", "transfer-encoding")}
        for _ in self.ports:
            port = self.ports[next(self._turn)]
            try:
                async with self._http.request(request.method,
                                              f"http://127.0.0.1:{port}{request.path_qs}",
                                              data=body, headers=headers) as answer:
                    data = await answer.read()
            except aiohttp.ClientConnectorError:
                continue  # not listening (killed): the next one
            except (aiohttp.ClientError, TimeoutError):
                self._note(request.path, body, port, 502)
                return web.Response(status=502)
            self._note(request.path, body, port, answer.status)
            return web.Response(status=answer.status, body=data, headers={
                "Content-Type": answer.headers.get("Content-Type", "application/json"),
                **({"Retry-After": answer.headers["Retry-After"]}
                   if "Retry-After" in answer.headers else {}),
                SERVED_BY: str(port)})
        self._note(request.path, body, 0, 502)
        return web.Response(status=502)

    def _note(self, path: str, body: bytes, port: int, status: int) -> None:
        self.served.append((path, port, status))
        self.answers[status] += 1
        if path.endswith("/telegram") and status == 200:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self.updates.append((time.monotonic(), chat_of(json.loads(body)), port))


def replica_env(**settings: str) -> dict[str, str]:
    """The process environment of a replica: ours without the bot's own settings."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("BOT_", "DATABASE_", "ADMIN_", "REDIS_", "MODE", "WEBHOOK_",
                                 "TEST_", "SEND_", "JOB_", "LOG_"))}
    return {**keep, **settings}
