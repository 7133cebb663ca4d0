"""aiogram session for talking to the fake over plain local HTTP."""

from __future__ import annotations

from aiogram.client.session.aiohttp import AiohttpSession


class LocalAiohttpSession(AiohttpSession):
    """`AiohttpSession` without the 0.25 s pause `close()` makes for SSL connections to
    wind down: there is no SSL on 127.0.0.1, and the pause would add up across tests."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
