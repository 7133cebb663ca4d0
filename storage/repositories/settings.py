"""Team settings changed at run time from Telegram (e.g. the bound team chat)."""

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SettingRow

TEAM_CHAT = "team_chat_id"
DIGEST_TIMES = "digest_times"


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> str | None:
        row = await self.session.get(SettingRow, key)
        return row.value if row else None

    async def set(self, key: str, value: str) -> None:
        row = await self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
        await self.session.flush()

    async def team_chat_id(self) -> int | None:
        value = await self.get(TEAM_CHAT)
        return int(value) if value else None
