"""Tables. Times are UTC; enums are stored as their short string values."""

import secrets
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_stamp() -> int:
    """A random, non-zero stamp (zero is what rows written before migration 0016 carry)."""
    return secrets.randbits(62) or 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MemberRow(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tg_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    notify_mode: Mapped[str] = mapped_column(String(8), default="digest", server_default="digest")
    unreachable_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locale: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    # Renewed (a random number) whenever one of the member's offers changes: the key that
    # tells a process its in-memory track record is stale (storage.repositories.tracks).
    track_stamp: Mapped[int] = mapped_column(BigInteger, default=new_stamp,
                                             server_default="0")


class MemberRoleRow(Base):
    __tablename__ = "member_roles"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class ProfileRow(Base):
    __tablename__ = "profiles"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), default="u")
    languages: Mapped[str] = mapped_column(String(200), default="")  # comma-separated codes
    areas: Mapped[str] = mapped_column(Text, default="")  # comma-separated, normalised
    capacity: Mapped[int] = mapped_column(Integer, default=5)
    availability: Mapped[str] = mapped_column(String(8), default="active")
    away_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    travel_km: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AreaRow(Base):
    """An area the team works in; `key` is the folded name (domain.areas.area_key)."""

    __tablename__ = "areas"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    aliases: Mapped[str] = mapped_column(Text, default="")  # comma-separated, folded


class AreaLinkRow(Base):
    """Two neighbouring areas, stored once with the smaller key first."""

    __tablename__ = "area_links"
    a: Mapped[str] = mapped_column(ForeignKey("areas.key", ondelete="CASCADE"), primary_key=True)
    b: Mapped[str] = mapped_column(ForeignKey("areas.key", ondelete="CASCADE"), primary_key=True)


class InviteRow(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ContactRow(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The parts of the name, where the source told them apart; NULL: read `name` instead.
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    tg_username: Mapped[str | None] = mapped_column(String(64), index=True)
    tg_user_id: Mapped[int | None] = mapped_column(BigInteger)
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    gender: Mapped[str] = mapped_column(String(1), default="u")
    language: Mapped[str] = mapped_column(String(16), default="")
    area: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24))  # indexed with assignee_id, below
    close_reason: Mapped[str | None] = mapped_column(String(32))
    dispatch_note: Mapped[str] = mapped_column(Text, default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    waiting_since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stage_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    nag_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_nag_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    area_key: Mapped[str | None] = mapped_column(String(100), index=True)
    auto_dispatch: Mapped[bool] = mapped_column(default=False, server_default=false())
    auto_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Normalised identity keys (domain.identity): duplicate detection reads only these, by index.
    email_norm: Mapped[str | None] = mapped_column(String(200), index=True)
    tg_username_norm: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_suffix: Mapped[str | None] = mapped_column(String(8), index=True)
    name_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_block_a: Mapped[str | None] = mapped_column(String(8))
    name_block_b: Mapped[str | None] = mapped_column(String(8))
    area_norm: Mapped[str] = mapped_column(String(200), default="", server_default="")
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    dup_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A dispatcher's open "ask for an update": when, and who asked (cleared by any stage change).
    update_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    update_requested_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # Arrived in a burst (domain.bursts): its card waits to be posted (services.card_queue).
    card_held: Mapped[bool] = mapped_column(default=False, server_default=false())
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    # The follow-up record (domain.contacts.Contact): the meeting, its place, the stage's note.
    meeting_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    meeting_place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    stage_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Its one "waiting too long for dispatch" alarm (services.undispatched): never raised twice.
    undispatched_alarm_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MilestoneRow(Base):
    """A faith milestone a seeker reached (domain.milestones): one row while it is ticked."""

    __tablename__ = "contact_milestones"
    __table_args__ = (UniqueConstraint("contact_id", "milestone"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    milestone: Mapped[str] = mapped_column(String(24))
    reached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class BatchRow(Base):
    """Arrivals from one source that count together: an import, or a minute of one API key."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# The API's open window per key: the latest batch of a channel, one index probe.
Index("ix_batches_channel", BatchRow.channel, BatchRow.started_at)


# Indexed separately so the names stay short and each lookup is one index probe. The name
# blocks cover what fuzzy scoring reads, so a large block (a common first name in a big area)
# is read from the index alone, without a table lookup per row.
Index("ix_contacts_tg_user_id", ContactRow.tg_user_id)
_COVER = (ContactRow.status, ContactRow.name_key, ContactRow.phone_suffix, ContactRow.merged_into)
Index("ix_contacts_area_block_a", ContactRow.area_norm, ContactRow.name_block_a, *_COVER)
Index("ix_contacts_area_block_b", ContactRow.area_norm, ContactRow.name_block_b, *_COVER)
Index("ix_contacts_dup_unchecked", ContactRow.dup_checked_at)
#: Every multiplier's load (repositories.members) read from the index alone; it serves the
#: lookups by status too (its first column), so status has no index of its own.
Index("ix_contacts_status_assignee", ContactRow.status, ContactRow.assignee_id)


class DuplicateSuspectRow(Base):
    """A possible duplicate a dispatcher decides on: merge it, or say it is not one."""

    __tablename__ = "duplicate_suspects"
    __table_args__ = (
        Index("uq_duplicate_suspects_pair", "contact_id", "other_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)  # the newer
    other_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)  # the older
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(String(200))  # comma-separated domain Reason values
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MergeRow(Base):
    """One merge, with what it changed, so it can be shown and undone."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    keeper_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    keeper_before: Mapped[str] = mapped_column(Text)  # JSON: the keeper's fields before
    merged_before: Mapped[str] = mapped_column(Text)  # JSON: the merged record's fields before
    conflicts: Mapped[str] = mapped_column(Text, default="[]")  # JSON: values set aside
    withdrawn_offers: Mapped[str] = mapped_column(String(200), default="")
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class TouchRow(Base):
    """The same seeker arrived again (same phone, e-mail or account): kept on their record."""

    __tablename__ = "contact_touches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    source: Mapped[str] = mapped_column(String(200), default="")
    reasons: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[str] = mapped_column(Text)  # JSON: what was typed this time


class OfferRow(Base):
    __tablename__ = "offers"
    __table_args__ = (
        # The database itself refuses a second pending offer for one contact.
        Index(
            "uq_offers_one_pending",
            "contact_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    multiplier_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    offered_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(12))
    days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(8))
    dm_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    dm_message_id: Mapped[int | None] = mapped_column(BigInteger)
    automatic: Mapped[bool] = mapped_column(default=False, server_default=false())
    reached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # An accepted offer whose holder no longer holds the seeker: how (domain.offers.Release), when.
    release: Mapped[str | None] = mapped_column(String(16))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PoolInvitationRow(Base):
    """One multiplier invited to take a contact from the open pool (domain.pool): not an
    offer, so the one-pending-offer index is untouched; the contact's move decides who wins."""

    __tablename__ = "pool_invitations"
    __table_args__ = (Index("ix_pool_invitations_contact", "contact_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    state: Mapped[str] = mapped_column(String(12))
    days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # where the invitation landed (saved on delivery), so closing the pool edits it
    dm_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    dm_message_id: Mapped[int | None] = mapped_column(BigInteger)


class CardRow(Base):
    """Where a contact's card sits in the team chat, so every change edits it in place."""

    __tablename__ = "cards"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)


class AuditRow(Base):
    __tablename__ = "audit_log"
    #: The events of a kind since a moment (reminders counted in a ranking, a digest's news).
    __table_args__ = (Index("ix_audit_log_entity_action_at", "entity", "action", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProcessedUpdateRow(Base):
    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A message the bot sends on its own initiative; the sender drains these in order."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),
                      Index("ix_outbox_ref", "purpose", "ref_id", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    text: Mapped[str] = mapped_column(Text)
    reply_markup: Mapped[str | None] = mapped_column(Text)  # JSON
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger)  # set: edit, not send
    purpose: Mapped[str] = mapped_column(String(16), default="notice")
    ref_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8), default="text", server_default="text")
    file_id: Mapped[str | None] = mapped_column(String(255))  # media travel by Telegram file_id
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tg_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A 'sending' row's claim: the replica sending it and until when (renewed while it
    # works); another replica takes the row over only once the lease has run out.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConversationRow(Base):
    """One per seeker who writes to the bot: its triage and, once relayed, its status."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_tg_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    seeker_name: Mapped[str] = mapped_column(String(200))
    # Telegram's first and last name, kept apart so a contact made from it knows its given name.
    seeker_given_name: Mapped[str | None] = mapped_column(String(100))
    seeker_family_name: Mapped[str | None] = mapped_column(String(100))
    seeker_username: Mapped[str | None] = mapped_column(String(64))
    seeker_language: Mapped[str | None] = mapped_column(String(16))  # Telegram's language_code
    triage: Mapped[str] = mapped_column(String(8), index=True)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    triaged_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    relay_status: Mapped[str] = mapped_column(String(16), default="none", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    round_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handler_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    slowed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dropped: Mapped[int] = mapped_column(Integer, default=0)
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    card_row_id: Mapped[int | None] = mapped_column(Integer)  # the outbox row to post it anew
    #: JSON: the contact its claimer is confirming (domain.conversations.ContactDraft), or NULL.
    draft: Mapped[str | None] = mapped_column(Text)


class ConversationMessageRow(Base):
    """Every message of a conversation, both ways; media by Telegram file_id."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(255))
    sender_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RelayLinkRow(Base):
    """A message the bot showed a multiplier on a seeker's behalf: replying to it answers them."""

    __tablename__ = "relay_links"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))


class TriageEventRow(Base):
    """Who triaged what and how long it waited: the operators' counts for reports."""

    __tablename__ = "triage_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    action: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    waited_seconds: Mapped[int | None] = mapped_column(Integer)


class ApiKeyRow(Base):
    """A key another system uses to post contacts; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyRow(Base):
    """A request made with an Idempotency-Key: its body's hash and, once done, its answer."""

    __tablename__ = "idempotency_keys"

    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)


class WebFormRow(Base):
    """A lead form served at /form/<slug> (domain.web_forms); `fields` is a comma list."""

    __tablename__ = "web_forms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fields: Mapped[str] = mapped_column(String(200))
    greeting: Mapped[str] = mapped_column(Text, default="")
    thanks: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(String(200), default="")
    source_tag: Mapped[str] = mapped_column(String(60), default="")
    paused: Mapped[bool] = mapped_column(default=False)


class WebFormCountRow(Base):
    """A form's submissions per hour: sent to intake, refused as a bot's. Hours, so a
    report's period in any whole-hour zone adds up exactly, and a flood adds no rows."""

    __tablename__ = "web_form_counts"

    form_id: Mapped[int] = mapped_column(ForeignKey("web_forms.id"), primary_key=True)
    hour: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
