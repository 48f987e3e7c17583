"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:47:50.169657
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('branches',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branches')),
    sa.UniqueConstraint('code', name=op.f('uq_branches_code'))
    )
    op.create_table('counters',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counters'))
    )
    op.create_table('entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('sale_at', sa.String(length=40), nullable=False),
    sa.Column('reservation_id', sa.String(length=36), nullable=True),
    sa.Column('origin_terminal_id', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entries')),
    sa.UniqueConstraint('terminal_id', 'seq', name='uq_entries_terminal_seq')
    )
    op.create_index(op.f('ix_entries_change_id'), 'entries', ['change_id'], unique=False)
    op.create_index(op.f('ix_entries_member_id'), 'entries', ['member_id'], unique=False)
    op.create_table('flags',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('terminal_id', sa.String(length=64), nullable=True),
    sa.Column('entry_id', sa.String(length=36), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    op.create_index(op.f('ix_flags_member_id'), 'flags', ['member_id'], unique=False)
    op.create_table('members',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('card_no', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=10), nullable=True),
    sa.Column('phone_primary', sa.Boolean(), nullable=False),
    sa.Column('tier', sa.String(length=32), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('balance', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('member_code', sa.String(length=400), nullable=True),
    sa.Column('offline_blocked', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('merged_into', sa.String(length=36), nullable=True),
    sa.Column('placeholder', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members'))
    )
    op.create_index(op.f('ix_members_card_no'), 'members', ['card_no'], unique=False)
    op.create_index(op.f('ix_members_change_id'), 'members', ['change_id'], unique=False)
    op.create_index(op.f('ix_members_phone'), 'members', ['phone'], unique=False)
    op.create_index('uq_members_primary_phone', 'members', ['phone'], unique=True, postgresql_where=sa.text('phone_primary'), sqlite_where=sa.text('phone_primary'))
    op.create_table('policies',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('policy_json', sa.Text(), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policies'))
    )
    op.create_index(op.f('ix_policies_change_id'), 'policies', ['change_id'], unique=False)
    op.create_table('received',
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('record_type', sa.String(length=8), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('terminal_id', 'seq', name=op.f('pk_received')),
    sa.UniqueConstraint('record_id', name=op.f('uq_received_record_id'))
    )
    op.create_table('reservations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('reward_code', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reservations'))
    )
    op.create_index('ix_reservations_member_status', 'reservations', ['member_id', 'status'], unique=False)
    op.create_table('rewards',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('points_cost', sa.BigInteger(), nullable=False),
    sa.Column('stock', sa.BigInteger(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_rewards'))
    )
    op.create_index(op.f('ix_rewards_change_id'), 'rewards', ['change_id'], unique=False)
    op.create_table('rules',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('bundle_json', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_rules'))
    )
    op.create_index(op.f('ix_rules_change_id'), 'rules', ['change_id'], unique=False)
    op.create_table('signing_keys',
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('private_key_pem', sa.Text(), nullable=True),
    sa.Column('private_key_path', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_signing_keys'))
    )
    op.create_index(op.f('ix_signing_keys_change_id'), 'signing_keys', ['change_id'], unique=False)
    op.create_table('upload_batches',
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=False),
    sa.Column('records_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('terminal_id', 'batch_id', name=op.f('pk_upload_batches'))
    )
    op.create_table('enrollment_codes',
    sa.Column('code_sha256', sa.String(length=64), nullable=False),
    sa.Column('branch_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('terminal_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_enrollment_codes_branch_id_branches')),
    sa.PrimaryKeyConstraint('code_sha256', name=op.f('pk_enrollment_codes'))
    )
    op.create_table('staff',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('branch_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_staff_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_index(op.f('ix_staff_change_id'), 'staff', ['change_id'], unique=False)
    op.create_table('terminals',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('branch_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), server_default='', nullable=False),
    sa.Column('app_version', sa.String(length=40), server_default='', nullable=False),
    sa.Column('credential_sha256', sa.String(length=64), nullable=False),
    sa.Column('credential_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applied_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_terminals_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terminals'))
    )



    op.execute("INSERT INTO counters (name, value) VALUES ('change', 0)")


def downgrade() -> None:

    op.drop_table('terminals')
    op.drop_index(op.f('ix_staff_change_id'), table_name='staff')
    op.drop_table('staff')
    op.drop_table('enrollment_codes')
    op.drop_table('upload_batches')
    op.drop_index(op.f('ix_signing_keys_change_id'), table_name='signing_keys')
    op.drop_table('signing_keys')
    op.drop_index(op.f('ix_rules_change_id'), table_name='rules')
    op.drop_table('rules')
    op.drop_index(op.f('ix_rewards_change_id'), table_name='rewards')
    op.drop_table('rewards')
    op.drop_index('ix_reservations_member_status', table_name='reservations')
    op.drop_table('reservations')
    op.drop_table('received')
    op.drop_index(op.f('ix_policies_change_id'), table_name='policies')
    op.drop_table('policies')
    op.drop_index('uq_members_primary_phone', table_name='members', postgresql_where=sa.text('phone_primary'), sqlite_where=sa.text('phone_primary'))
    op.drop_index(op.f('ix_members_phone'), table_name='members')
    op.drop_index(op.f('ix_members_change_id'), table_name='members')
    op.drop_index(op.f('ix_members_card_no'), table_name='members')
    op.drop_table('members')
    op.drop_index(op.f('ix_flags_member_id'), table_name='flags')
    op.drop_table('flags')
    op.drop_index(op.f('ix_entries_member_id'), table_name='entries')
    op.drop_index(op.f('ix_entries_change_id'), table_name='entries')
    op.drop_table('entries')
    op.drop_table('counters')
    op.drop_table('branches')

