"""seeker conversations and triage events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 23:37:23.392221
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seeker_tg_id', sa.BigInteger(), nullable=False),
    sa.Column('seeker_name', sa.String(length=200), nullable=False),
    sa.Column('seeker_username', sa.String(length=64), nullable=True),
    sa.Column('triage', sa.String(length=8), nullable=False),
    sa.Column('claimed_by', sa.Integer(), nullable=True),
    sa.Column('triaged_by', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('relay_status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('round_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handler_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('slowed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dropped', sa.Integer(), nullable=False),
    sa.Column('card_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('card_message_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['claimed_by'], ['members.id'], name=op.f('fk_conversations_claimed_by_members')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_conversations_contact_id_contacts')),
    sa.ForeignKeyConstraint(['triaged_by'], ['members.id'], name=op.f('fk_conversations_triaged_by_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('seeker_tg_id', name=op.f('uq_conversations_seeker_tg_id'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_relay_status'), ['relay_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_triage'), ['triage'], unique=False)

    op.create_table('conversation_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('file_id', sa.String(length=255), nullable=True),
    sa.Column('sender_member_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_messages_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['sender_member_id'], ['members.id'], name=op.f('fk_conversation_messages_sender_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_messages'))
    )
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_messages_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('relay_links',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('message_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_relay_links_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('chat_id', 'message_id', name=op.f('pk_relay_links'))
    )
    op.create_table('triage_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('waited_seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_triage_events_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_triage_events_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_events'))
    )
    with op.batch_alter_table('triage_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_events_at'), ['at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('triage_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_events_at'))

    op.drop_table('triage_events')
    op.drop_table('relay_links')
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_messages_conversation_id'))

    op.drop_table('conversation_messages')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_triage'))
        batch_op.drop_index(batch_op.f('ix_conversations_relay_status'))
        batch_op.drop_index(batch_op.f('ix_conversations_contact_id'))

    op.drop_table('conversations')
