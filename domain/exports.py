"""What an export holds: the columns of the contacts and audit tables, and the period."""

from datetime import UTC, datetime

from domain.contacts import Contact
from domain.errors import InvalidInput

CONTACT_COLUMNS = ["id", "created_at", "status", "name", "phone", "tg_username", "email",
                   "gender", "language", "area", "source", "notes", "assignee_id",
                   "close_reason", "created_by", "given_name", "family_name"]
AUDIT_COLUMNS = ["id", "at", "actor_id", "entity", "entity_id", "action", "before", "after"]


def parse_since(text: str) -> datetime | None:
    """`YYYY-MM-DD` (UTC midnight) or nothing (everything)."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise InvalidInput("since") from exc


def contact_row(contact: Contact) -> list[object]:
    d = contact.details
    return [contact.id, contact.created_at.isoformat(), contact.status.value, d.name,
            d.phone or "", d.tg_username or "", d.email or "", d.gender.value, d.language,
            d.area, d.source, d.notes, contact.assignee_id or "", contact.close_reason or "",
            contact.created_by or "", d.given_name or "", d.family_name or ""]
