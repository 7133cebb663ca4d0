"""web lead forms (/form/<slug>) and their hourly counts of sent and refused submissions

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('web_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fields', sa.String(length=200), nullable=False),
    sa.Column('greeting', sa.Text(), nullable=False),
    sa.Column('thanks', sa.Text(), nullable=False),
    sa.Column('consent', sa.Text(), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('source_tag', sa.String(length=60), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['members.id'], name=op.f('fk_web_forms_created_by_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_forms')),
    sa.UniqueConstraint('slug', name=op.f('uq_web_forms_slug'))
    )
    op.create_table('web_form_counts',
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('hour', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['web_forms.id'], name=op.f('fk_web_form_counts_form_id_web_forms')),
    sa.PrimaryKeyConstraint('form_id', 'hour', name=op.f('pk_web_form_counts'))
    )


def downgrade() -> None:
    op.drop_table('web_form_counts')
    op.drop_table('web_forms')
