"""index contacts (status, assignee_id): every multiplier's load from the index alone

Every ranking counts the contacts each multiplier holds. Through the status index alone
SQLite looked up every held contact's row for its assignee (100,000 stored: ~2 ms a card);
with both columns in the index the count never touches the table (~0.3 ms). The index on
status alone is dropped: the new one serves every lookup by status, and each index is one
more write for every change of a contact's status.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_contacts_status_assignee', 'contacts', ['status', 'assignee_id'])
    op.drop_index('ix_contacts_status', table_name='contacts')


def downgrade() -> None:
    op.create_index('ix_contacts_status', 'contacts', ['status'])
    op.drop_index('ix_contacts_status_assignee', table_name='contacts')
