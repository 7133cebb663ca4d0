"""duplicate detection keys, suspects, merges, touches

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.identity import keys_for

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contact_touches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('reasons', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_contact_touches_actor_id_members')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_touches_contact_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_touches'))
    )
    with op.batch_alter_table('contact_touches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_touches_contact_id'), ['contact_id'], unique=False)

    op.create_table('duplicate_suspects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_duplicate_suspects_contact_id_contacts')),
    sa.ForeignKeyConstraint(['decided_by'], ['members.id'], name=op.f('fk_duplicate_suspects_decided_by_members')),
    sa.ForeignKeyConstraint(['other_id'], ['contacts.id'], name=op.f('fk_duplicate_suspects_other_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_suspects'))
    )
    with op.batch_alter_table('duplicate_suspects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_suspects_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_suspects_other_id'), ['other_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_suspects_status'), ['status'], unique=False)
        batch_op.create_index('uq_duplicate_suspects_pair', ['contact_id', 'other_id'], unique=True)

    op.create_table('merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('keeper_id', sa.Integer(), nullable=False),
    sa.Column('merged_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('keeper_before', sa.Text(), nullable=False),
    sa.Column('merged_before', sa.Text(), nullable=False),
    sa.Column('conflicts', sa.Text(), nullable=False),
    sa.Column('withdrawn_offers', sa.String(length=200), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_merges_actor_id_members')),
    sa.ForeignKeyConstraint(['keeper_id'], ['contacts.id'], name=op.f('fk_merges_keeper_id_contacts')),
    sa.ForeignKeyConstraint(['merged_id'], ['contacts.id'], name=op.f('fk_merges_merged_id_contacts')),
    sa.ForeignKeyConstraint(['undone_by'], ['members.id'], name=op.f('fk_merges_undone_by_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merges'))
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merges_keeper_id'), ['keeper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merges_merged_id'), ['merged_id'], unique=False)

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_norm', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('tg_username_norm', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('phone_suffix', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('name_block_a', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('name_block_b', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('area_norm', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('dup_checked_at', sa.DateTime(timezone=True), nullable=True))
        cover = ['status', 'name_key', 'phone_suffix', 'merged_into']  # index-only block reads
        batch_op.create_index('ix_contacts_area_block_a', ['area_norm', 'name_block_a', *cover], unique=False)
        batch_op.create_index('ix_contacts_area_block_b', ['area_norm', 'name_block_b', *cover], unique=False)
        batch_op.create_index('ix_contacts_dup_unchecked', ['dup_checked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_email_norm'), ['email_norm'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_merged_into'), ['merged_into'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_phone_suffix'), ['phone_suffix'], unique=False)
        batch_op.create_index('ix_contacts_tg_user_id', ['tg_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_tg_username_norm'), ['tg_username_norm'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contacts_merged_into_contacts'), 'contacts', ['merged_into'], ['id'])

    _backfill()


def _backfill() -> None:
    """Existing contacts get their keys now; dup_checked_at stays empty, so the periodic
    duplicate job looks at each of them once."""
    conn = op.get_bind()
    contacts = sa.table(
        "contacts", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("phone", sa.String), sa.column("email", sa.String),
        sa.column("tg_username", sa.String), sa.column("tg_user_id", sa.BigInteger),
        sa.column("area", sa.String), sa.column("email_norm", sa.String),
        sa.column("tg_username_norm", sa.String), sa.column("phone_suffix", sa.String),
        sa.column("name_key", sa.String), sa.column("name_block_a", sa.String),
        sa.column("name_block_b", sa.String),
        sa.column("area_norm", sa.String),
    )
    rows = conn.execute(sa.select(contacts.c.id, contacts.c.name, contacts.c.phone,
                                  contacts.c.email, contacts.c.tg_username,
                                  contacts.c.tg_user_id, contacts.c.area)).all()
    for row in rows:
        keys = keys_for(row.name, row.phone, row.email, row.tg_username, row.tg_user_id, row.area)
        blocks = [*keys.name_blocks, None, None]
        conn.execute(contacts.update().where(contacts.c.id == row.id).values(
            email_norm=keys.email, tg_username_norm=keys.tg_username,
            phone_suffix=keys.phone_suffix, name_key=keys.name_key[:200],
            name_block_a=blocks[0], name_block_b=blocks[1], area_norm=keys.area[:200]))


def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contacts_merged_into_contacts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contacts_tg_username_norm'))
        batch_op.drop_index('ix_contacts_tg_user_id')
        batch_op.drop_index(batch_op.f('ix_contacts_phone_suffix'))
        batch_op.drop_index(batch_op.f('ix_contacts_merged_into'))
        batch_op.drop_index(batch_op.f('ix_contacts_email_norm'))
        batch_op.drop_index('ix_contacts_dup_unchecked')
        batch_op.drop_index('ix_contacts_area_block_b')
        batch_op.drop_index('ix_contacts_area_block_a')
        batch_op.drop_column('dup_checked_at')
        batch_op.drop_column('merged_into')
        batch_op.drop_column('area_norm')
        batch_op.drop_column('name_block_b')
        batch_op.drop_column('name_block_a')
        batch_op.drop_column('name_key')
        batch_op.drop_column('phone_suffix')
        batch_op.drop_column('tg_username_norm')
        batch_op.drop_column('email_norm')

    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merges_merged_id'))
        batch_op.drop_index(batch_op.f('ix_merges_keeper_id'))

    op.drop_table('merges')
    with op.batch_alter_table('duplicate_suspects', schema=None) as batch_op:
        batch_op.drop_index('uq_duplicate_suspects_pair')
        batch_op.drop_index(batch_op.f('ix_duplicate_suspects_status'))
        batch_op.drop_index(batch_op.f('ix_duplicate_suspects_other_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_suspects_contact_id'))

    op.drop_table('duplicate_suspects')
    with op.batch_alter_table('contact_touches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_touches_contact_id'))

    op.drop_table('contact_touches')
