"""given and family names of contacts (and of the seekers who write to the bot), kept apart
where the source tells them apart, so cards and offers show the given name, not the surname

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contacts') as batch:
        batch.add_column(sa.Column('given_name', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('family_name', sa.String(length=100), nullable=True))
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('seeker_given_name', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('seeker_family_name', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.drop_column('seeker_family_name')
        batch.drop_column('seeker_given_name')
    with op.batch_alter_table('contacts') as batch:
        batch.drop_column('family_name')
        batch.drop_column('given_name')
