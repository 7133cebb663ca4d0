"""gettext in the language of whoever reads the answer (set by MemberMiddleware as `locale`;
empty: the team's TEAM_LANGUAGE)."""

from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18nMiddleware


class ReaderLocaleMiddleware(I18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return data.get("locale") or self.i18n.default_locale
