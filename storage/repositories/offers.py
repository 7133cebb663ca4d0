"""Offers. Like contacts, every answer is a conditional update on a still-pending row."""

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.offers import Offer, OfferStatus, Release
from storage.models import OfferRow
from storage.repositories.mapping import (
    columns, new_values, offer_from_row, plain, set_bound, shaped, write,
)
from storage.repositories.tracks import restamp, restamp_offers_holder

_OFFERS = columns(OfferRow)
_BY_ID = _OFFERS.where(OfferRow.id == bindparam("id"))
_OF_CONTACT = _OFFERS.where(OfferRow.contact_id == bindparam("contact_id")).order_by(OfferRow.id)
#: The reads jobs make at every tick, built once (SQLAlchemy neither builds nor keys them again).
_DUE = _OFFERS.where(OfferRow.status == OfferStatus.PENDING.value,
                     OfferRow.expires_at <= bindparam("now", type_=OfferRow.expires_at.type)
                     ).order_by(OfferRow.id)
_ACCEPTED = _OFFERS.where(OfferRow.status == OfferStatus.ACCEPTED.value)
_ACCEPTED_FOR = _ACCEPTED.where(OfferRow.contact_id == bindparam("id")) \
    .order_by(OfferRow.id.desc()).limit(1)
_ACCEPTED_FOR_MANY = _ACCEPTED.where(OfferRow.contact_id.in_(bindparam("ids", expanding=True))) \
    .order_by(OfferRow.id)


class OfferRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        contact_id: int,
        multiplier_id: int,
        offered_by: int | None,
        days: int,
        now: datetime,
        expires_at: datetime,
        automatic: bool = False,
    ) -> Offer:
        row = OfferRow(
            automatic=automatic,
            contact_id=contact_id,
            multiplier_id=multiplier_id,
            offered_by=offered_by,
            status=OfferStatus.PENDING.value,
            days=days,
            created_at=now,
            expires_at=expires_at,
        )
        self.session.add(row)
        await self.session.flush()
        await self._restamp(multiplier_id)
        return offer_from_row(row)

    async def get(self, offer_id: int) -> Offer | None:
        rows = await plain(self.session, _BY_ID, {"id": offer_id})
        return offer_from_row(rows[0]) if rows else None

    async def transition(
        self, offer_id: int, expected: OfferStatus, to: OfferStatus, **fields: object
    ) -> bool:
        statement = shaped(("offer", *sorted(fields)), lambda: set_bound(
            update(OfferRow).where(OfferRow.id == bindparam("offer"),
                                   OfferRow.status == bindparam("expected")),
            OfferRow.__table__, fields, status=bindparam("to")))
        moved = await write(self.session, statement, {
            "offer": offer_id, "expected": expected.value, "to": to.value, **new_values(fields)})
        if moved != 1:
            return False
        await restamp_offers_holder(self.session, offer_id)
        return True

    async def set_reason(self, offer_id: int, reason: str) -> bool:
        result = await self.session.execute(
            update(OfferRow)
            .where(OfferRow.id == offer_id, OfferRow.decline_reason.is_(None))
            .values(decline_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def for_contact(self, contact_id: int) -> list[Offer]:
        rows = await plain(self.session, _OF_CONTACT, {"contact_id": contact_id})
        return [offer_from_row(r) for r in rows]

    async def pending(self, multiplier_id: int | None = None) -> list[Offer]:
        """Offers waiting for an answer (`multiplier_id`: only that multiplier's)."""
        query = _OFFERS.where(OfferRow.status == OfferStatus.PENDING.value)
        if multiplier_id is not None:
            query = query.where(OfferRow.multiplier_id == multiplier_id)
        rows = await plain(self.session, query.order_by(OfferRow.id))
        return [offer_from_row(r) for r in rows]

    async def due_to_expire(self, now: datetime) -> list[Offer]:
        rows = await plain(self.session, _DUE, {"now": now})
        return [offer_from_row(r) for r in rows]

    async def accepted_for(self, contact_id: int) -> Offer | None:
        """The offer the current assignee accepted: its promised days set the first deadline."""
        rows = await plain(self.session, _ACCEPTED_FOR, {"id": contact_id})
        return offer_from_row(rows[0]) if rows else None

    async def accepted_for_contacts(self, contact_ids: list[int]) -> dict[int, Offer]:
        """accepted_for() of many contacts in one statement (a job reads every held one)."""
        rows = await plain(self.session, _ACCEPTED_FOR_MANY, {"ids": list(contact_ids)})
        return {r.contact_id: offer_from_row(r) for r in rows}  # the latest one wins

    async def dm(self, offer_id: int) -> tuple[int, int] | None:
        rows = await plain(self.session, _DM, {"offer": offer_id})
        if not rows or rows[0].dm_chat_id is None or rows[0].dm_message_id is None:
            return None
        return rows[0].dm_chat_id, rows[0].dm_message_id

    async def save_dm(self, offer_id: int, chat_id: int, message_id: int) -> None:
        await write(self.session, _SAVE_DM, {"offer": offer_id, "chat": chat_id, "message": message_id})

    async def mark_reached(self, contact_id: int, multiplier_id: int, now: datetime) -> None:
        """The first time the holder reports getting through: the promise is judged by it."""
        await write(self.session, _MARK_REACHED,
                    {"contact": contact_id, "multiplier": multiplier_id, "at": now})
        await self._restamp(multiplier_id)

    async def release(self, contact_id: int, multiplier_id: int, how: Release,
                      now: datetime) -> Offer | None:
        """The holding that `multiplier_id`'s accepted offer on this contact began has ended
        (`how`); the offer as it is now, or None if they hold it by no offer of this record
        (a merge handed it over)."""
        row = await self.session.scalar(
            select(OfferRow)
            .where(OfferRow.contact_id == contact_id, OfferRow.multiplier_id == multiplier_id,
                   OfferRow.status == OfferStatus.ACCEPTED.value, OfferRow.released_at.is_(None))
            .order_by(OfferRow.id.desc())
            .limit(1)
        )
        if row is None:
            return None
        row.release, row.released_at = how.value, now
        await self.session.flush()
        return offer_from_row(row)

    async def _restamp(self, multiplier_id: int) -> None:
        """What a track record reads changed (status, answer, reached, a new offer)."""
        await restamp(self.session, multiplier_id)


# Writes made at every offer's move, built once with bound parameters (building and keying
# an UPDATE cost more than running it).
_DM = select(OfferRow.dm_chat_id, OfferRow.dm_message_id).where(OfferRow.id == bindparam("offer"))
_SAVE_DM = (update(OfferRow).where(OfferRow.id == bindparam("offer"))
            .values(dm_chat_id=bindparam("chat"), dm_message_id=bindparam("message"))
            .execution_options(synchronize_session=False))
_MARK_REACHED = (
    update(OfferRow)
    .where(OfferRow.contact_id == bindparam("contact"),
           OfferRow.multiplier_id == bindparam("multiplier"),
           OfferRow.status == OfferStatus.ACCEPTED.value, OfferRow.reached_at.is_(None))
    .values(reached_at=bindparam("at", type_=OfferRow.reached_at.type))
    .execution_options(synchronize_session=False))
