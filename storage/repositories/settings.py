"""Team settings changed at run time from Telegram (e.g. the bound team chat)."""

import json
from dataclasses import asdict, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.matching import GenderRule, MatchPolicy, Weights
from domain.settings import MATCH_POLICY, TEAM_CHAT, TEAM_LANGUAGE
from storage.models import SettingRow
from storage.team_stamp import kept, wrote


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> str | None:
        return (await kept(self.session, "settings", self._read_all)).get(key)

    async def _read_all(self) -> dict[str, str]:
        return dict((await self.session.execute(select(SettingRow.key, SettingRow.value))).all())

    async def set(self, key: str, value: str) -> None:
        wrote(self.session)
        row = await self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
        await self.session.flush()

    async def team_chat_id(self) -> int | None:
        value = await self.get(TEAM_CHAT)
        return int(value) if value else None

    async def team_language(self) -> str:
        """Set with /language in the team chat; empty: the deployment's TEAM_LANGUAGE."""
        return await self.get(TEAM_LANGUAGE) or ""

    async def match_policy(self) -> MatchPolicy:
        return await kept(self.session, "policy", self._read_policy)

    async def _read_policy(self) -> MatchPolicy:
        return _policy(await self.get(MATCH_POLICY))

    async def save_match_policy(self, policy: MatchPolicy, read: MatchPolicy) -> bool:
        """Only over the policy the caller read: two admins at once never lose a change
        silently (the second is told to try again). Compared with the locked row itself,
        not with what this process keeps."""
        stored = await self.session.get(SettingRow, MATCH_POLICY, with_for_update=True)
        if stored is not None and _policy(stored.value) != read:
            return False
        data = asdict(policy)
        data["fallback_languages"] = sorted(policy.fallback_languages)
        await self.set(MATCH_POLICY, json.dumps(data, sort_keys=True))
        return True

    async def target(self, member_id: int) -> int | None:
        """A multiplier's target: meetings per 30 days."""
        value = await self.get(f"target:{member_id}")
        return int(value) if value else None

    async def set_target(self, member_id: int, target: int | None) -> None:
        await self.set(f"target:{member_id}", str(target or ""))


def _policy(value: str | None) -> MatchPolicy:
    """Defaults for whatever an admin never set (and for keys a newer version dropped)."""
    stored = json.loads(value or "{}")
    policy = MatchPolicy()
    weights = {k: float(v) for k, v in stored.pop("weights", {}).items()
               if k in asdict(policy.weights)}
    known = {k: v for k, v in stored.items() if k in asdict(policy) and k != "weights"}
    if "gender_rule" in known:
        known["gender_rule"] = GenderRule(known["gender_rule"])
    if "fallback_languages" in known:
        known["fallback_languages"] = frozenset(known["fallback_languages"])
    return replace(policy, weights=Weights(**weights), **known)
