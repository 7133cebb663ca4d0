"""Multipliers' track records, read from their offers and the reminders the audit log holds."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import as_utc
from domain.reliability import HISTORY, RECENT, AnsweredOffer, Track, build_track
from storage.models import AuditRow, OfferRow


class TrackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_members(self, member_ids: list[int], now: datetime) -> dict[int, Track]:
        offers: dict[int, list[AnsweredOffer]] = defaultdict(list)
        rows = await self.session.execute(
            select(OfferRow.multiplier_id, OfferRow.status, OfferRow.created_at,
                   OfferRow.answered_at, OfferRow.days, OfferRow.reached_at)
            .where(OfferRow.multiplier_id.in_(member_ids), OfferRow.created_at >= now - HISTORY))
        for member_id, status, created, answered, days, reached in rows:
            offers[member_id].append(AnsweredOffer(
                status, as_utc(created), as_utc(answered) if answered else None, days,
                as_utc(reached) if reached else None))
        last = dict((await self.session.execute(
            select(OfferRow.multiplier_id, func.max(OfferRow.created_at))
            .where(OfferRow.multiplier_id.in_(member_ids)).group_by(OfferRow.multiplier_id))).all())
        reminders = await self._reminders(member_ids, now)
        return {
            member_id: build_track(
                offers[member_id], reminders[member_id].get("nag", 0),
                reminders[member_id].get("escalate", 0),
                as_utc(last[member_id]) if last.get(member_id) else None, now)
            for member_id in member_ids
        }

    async def _reminders(self, member_ids: list[int], now: datetime) -> dict[int, dict[str, int]]:
        """Reminders and escalations, each counted against whoever held the contact then
        (the multiplier of the last offer accepted before it), not whoever holds it now."""
        holder = (select(OfferRow.multiplier_id)
                  .where(OfferRow.contact_id == AuditRow.entity_id, OfferRow.status == "accepted",
                         OfferRow.answered_at <= AuditRow.at)
                  .order_by(OfferRow.answered_at.desc(), OfferRow.id.desc()).limit(1)
                  .correlate(AuditRow).scalar_subquery())
        rows = await self.session.execute(
            select(holder, AuditRow.action)
            .where(AuditRow.entity == "contact", AuditRow.action.in_(("nag", "escalate")),
                   AuditRow.at >= now - RECENT))
        wanted = set(member_ids)
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for member_id, action in rows:
            if member_id in wanted:
                counts[member_id][action] = counts[member_id].get(action, 0) + 1
        return counts
