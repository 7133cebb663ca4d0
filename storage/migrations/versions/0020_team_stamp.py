"""settings row 'stamp:team': renewed by every change to members, roles, profiles, areas
and settings, so each process keeps them in memory and knows when to read them again
(storage.team_stamp)

Revision ID: 0020
Revises: 0019
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

settings = sa.table('settings', sa.column('key', sa.String), sa.column('value', sa.Text))


def upgrade() -> None:
    op.execute(settings.insert().values(key='stamp:team', value=str(secrets.randbits(62) or 1)))


def downgrade() -> None:
    op.execute(settings.delete().where(settings.c.key == 'stamp:team'))
