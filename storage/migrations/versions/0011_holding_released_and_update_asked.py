"""after Yes the dispatcher keeps control: how an accepted offer's holding ended (offers.release,
released_at) and a dispatcher's open ask for an update (contacts.update_requested_at, _by)

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('offers') as batch:
        batch.add_column(sa.Column('release', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('contacts') as batch:
        batch.add_column(sa.Column('update_requested_at', sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('update_requested_by', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_contacts_update_requested_by_members'), 'members',
                                 ['update_requested_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('contacts') as batch:
        batch.drop_constraint(op.f('fk_contacts_update_requested_by_members'), type_='foreignkey')
        batch.drop_column('update_requested_by')
        batch.drop_column('update_requested_at')
    with op.batch_alter_table('offers') as batch:
        batch.drop_column('released_at')
        batch.drop_column('release')
