"""the language each person reads: a member's /language choice and Telegram's language_code at
join; a seeker's language_code (domain.locales)

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('members') as batch:
        batch.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
        batch.add_column(sa.Column('telegram_language', sa.String(length=16), nullable=True))
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('seeker_language', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.drop_column('seeker_language')
    with op.batch_alter_table('members') as batch:
        batch.drop_column('telegram_language')
        batch.drop_column('locale')
