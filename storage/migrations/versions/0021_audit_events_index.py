"""index audit_log (entity, action, at): the events of a kind since a moment

Every ranking counts each multiplier's reminders and escalations of the last 30 days, and
digests read the events since the last one. With only `at` indexed both walked every audit
row of the period (a month of a team: tens of thousands) to find the few of their kind.

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_log_entity_action_at', 'audit_log', ['entity', 'action', 'at'])


def downgrade() -> None:
    op.drop_index('ix_audit_log_entity_action_at', table_name='audit_log')
