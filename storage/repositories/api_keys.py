"""API keys (hashed) and the idempotency records of the requests made with them."""

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.api_keys import ApiKey, IdempotencyKeyTaken
from storage.models import ApiKeyRow, IdempotencyRow
from storage.team_stamp import kept, wrote


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.name, row.created_by, row.created_at, row.revoked_at)


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, name: str, secret_hash: str, created_by: int, now: datetime) -> ApiKey:
        wrote(self.session)
        row = ApiKeyRow(name=name, key_hash=secret_hash, created_by=created_by, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return _key(row)

    async def by_name(self, name: str) -> ApiKey | None:
        row = await self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.name == name))
        return _key(row) if row else None

    async def by_hash(self, secret_hash: str) -> ApiKey | None:
        """Every POST asks: the keys (a handful, changed by admins now and then) are kept in
        memory behind the team's stamp (storage.team_stamp), read again once it changed."""
        return (await kept(self.session, "api_keys", self._by_hash)).get(secret_hash)

    async def _by_hash(self) -> dict[str, ApiKey]:
        return {row.key_hash: _key(row) for row in await self.session.scalars(select(ApiKeyRow))}

    async def list_all(self) -> list[ApiKey]:
        rows = await self.session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
        return [_key(r) for r in rows]

    async def revoke(self, key_id: int, now: datetime) -> bool:
        wrote(self.session)
        result = await self.session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


class IdempotencyRepository:
    """One row per (API key, Idempotency-Key), stored with the request's answer in its
    transaction. The primary key makes a concurrent second one fail in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answers(self, api_key_id: int, keys: list[str]) -> dict[str, IdempotencyRow]:
        if not keys:
            return {}
        rows = await self.session.scalars(select(IdempotencyRow).where(
            IdempotencyRow.api_key_id == api_key_id, IdempotencyRow.key.in_(keys)))
        return {row.key: row for row in rows}

    async def answered(self, api_key_id: int, answers: list[tuple[str, str, int, str]],
                       now: datetime) -> None:
        """One INSERT for them all. Raises IdempotencyKeyTaken if another request stored one
        of the keys meanwhile; the transaction is then unusable until rolled back."""
        if not answers:
            return
        try:
            await self.session.execute(insert(IdempotencyRow), [
                {"api_key_id": api_key_id, "key": key, "request_hash": body_hash,
                 "created_at": now, "status_code": status, "response": response}
                for key, body_hash, status, response in answers])
        except IntegrityError as error:
            raise IdempotencyKeyTaken(answers[0][0]) from error
