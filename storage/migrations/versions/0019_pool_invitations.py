"""pool_invitations: a contact put open to every eligible multiplier at once (the open
pool); one row per invitee with its state and the message to edit when the pool closes

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'pool_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('opened_by', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('dm_chat_id', sa.BigInteger(), nullable=True),
        sa.Column('dm_message_id', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                name=op.f('fk_pool_invitations_contact_id_contacts')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_pool_invitations_member_id_members')),
        sa.ForeignKeyConstraint(['opened_by'], ['members.id'],
                                name=op.f('fk_pool_invitations_opened_by_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_invitations')),
    )
    op.create_index('ix_pool_invitations_contact', 'pool_invitations', ['contact_id', 'state'])
    op.create_index(op.f('ix_pool_invitations_member_id'), 'pool_invitations', ['member_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_pool_invitations_member_id'), table_name='pool_invitations')
    op.drop_index('ix_pool_invitations_contact', table_name='pool_invitations')
    op.drop_table('pool_invitations')
