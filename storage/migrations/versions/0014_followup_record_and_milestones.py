"""the seeker's record: a meeting's time and place and the stage's note on the contact
(contacts.meeting_at, meeting_place, stage_note), and faith milestones (contact_milestones)

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contacts') as batch:
        batch.add_column(sa.Column('meeting_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('meeting_place', sa.String(length=200), server_default='',
                                   nullable=False))
        batch.add_column(sa.Column('stage_note', sa.Text(), server_default='', nullable=False))
    op.create_table(
        'contact_milestones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('milestone', sa.String(length=24), nullable=False),
        sa.Column('reached_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['by'], ['members.id'],
                                name=op.f('fk_contact_milestones_by_members')),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                name=op.f('fk_contact_milestones_contact_id_contacts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_milestones')),
        sa.UniqueConstraint('contact_id', 'milestone',
                            name=op.f('uq_contact_milestones_contact_id')),
    )
    op.create_index(op.f('ix_contact_milestones_contact_id'), 'contact_milestones',
                    ['contact_id'])
    op.create_index(op.f('ix_contact_milestones_reached_at'), 'contact_milestones',
                    ['reached_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_contact_milestones_reached_at'), table_name='contact_milestones')
    op.drop_index(op.f('ix_contact_milestones_contact_id'), table_name='contact_milestones')
    op.drop_table('contact_milestones')
    with op.batch_alter_table('contacts') as batch:
        batch.drop_column('stage_note')
        batch.drop_column('meeting_place')
        batch.drop_column('meeting_at')
