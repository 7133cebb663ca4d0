"""outbox rows found by what they are about: one queued card row per contact

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_outbox_ref', 'outbox', ['purpose', 'ref_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_ref', table_name='outbox')
