"""vouchers: batches, signed codes with their status, and every use (docs/vouchers.md)

Revision ID: 0011
Revises: 0014
Create Date: 2026-11-30 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('voucher_batches',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('campaign', sa.String(length=100), nullable=False),
    sa.Column('benefit', sa.String(length=48), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('branch_id', sa.String(length=64), nullable=True),
    sa.Column('min_spend_satang', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_batches'))
    )
    op.create_table('vouchers',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=True),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('face_value_satang', sa.BigInteger(), nullable=False),
    sa.Column('owner_member_id', sa.String(length=64), nullable=True),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('operation_id', sa.String(length=36), nullable=True),
    sa.Column('terminal_id', sa.String(length=64), nullable=True),
    sa.Column('reserved_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers'))
    )
    op.create_index(op.f('ix_vouchers_batch_id'), 'vouchers', ['batch_id'], unique=False)
    op.create_table('voucher_uses',
    sa.Column('operation_id', sa.String(length=36), nullable=False),
    sa.Column('voucher_id', sa.String(length=24), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.String(length=64), nullable=True),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('receipt_ref', sa.String(length=200), nullable=True),
    sa.Column('value_satang', sa.BigInteger(), nullable=False),
    sa.Column('sale_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('operation_id', name=op.f('pk_voucher_uses'))
    )
    op.create_index(op.f('ix_voucher_uses_voucher_id'), 'voucher_uses', ['voucher_id'], unique=False)
    op.create_table('voucher_rewards',
    sa.Column('reward_code', sa.String(length=64), nullable=False),
    sa.Column('benefit', sa.String(length=48), nullable=False),
    sa.Column('valid_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reward_code', name=op.f('pk_voucher_rewards'))
    )


def downgrade() -> None:
    op.drop_table('voucher_rewards')
    op.drop_index(op.f('ix_voucher_uses_voucher_id'), table_name='voucher_uses')
    op.drop_table('voucher_uses')
    op.drop_index(op.f('ix_vouchers_batch_id'), table_name='vouchers')
    op.drop_table('vouchers')
    op.drop_table('voucher_batches')
