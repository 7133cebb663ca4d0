"""members.track_stamp: a random stamp renewed whenever one of the member's offers changes,
so a process can keep track records in memory and know, from the database, when they are
stale (several replicas share the database, not their memory)

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('members') as batch:
        batch.add_column(sa.Column('track_stamp', sa.BigInteger(), nullable=False,
                                   server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('members') as batch:
        batch.drop_column('track_stamp')
