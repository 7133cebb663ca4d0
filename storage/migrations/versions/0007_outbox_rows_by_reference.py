"""outbox rows found by what they are about (one queued card row per contact), and media
(kind, file_id) so relayed photos, voice and documents go through the outbox too

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_outbox_ref', 'outbox', ['purpose', 'ref_id', 'status'], unique=False)
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=8), nullable=False,
                                   server_default='text'))
        batch.add_column(sa.Column('file_id', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('file_id')
        batch.drop_column('kind')
    op.drop_index('ix_outbox_ref', table_name='outbox')
