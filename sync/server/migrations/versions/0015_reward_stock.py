"""console rewards: active dates, retire, stock per branch

Revision ID: 0015
Revises: 0012
Create Date: 2026-11-30 04:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('rewards', sa.Column('active_from', sa.DateTime(timezone=True), nullable=True))
    op.add_column('rewards', sa.Column('active_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('rewards', sa.Column('in_window', sa.Boolean(), server_default=sa.text('true'), nullable=False))
    op.add_column('rewards', sa.Column('per_branch_stock', sa.Boolean(), server_default=sa.text('false'),
                                       nullable=False))
    op.add_column('rewards', sa.Column('updated_by', sa.String(length=64), nullable=True))
    op.create_table('reward_stock',
    sa.Column('reward_code', sa.String(length=64), nullable=False),
    sa.Column('branch_id', sa.String(length=64), nullable=False),
    sa.Column('stock', sa.BigInteger(), nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reward_code', 'branch_id', name=op.f('pk_reward_stock'))
    )
    op.create_index(op.f('ix_reward_stock_change_id'), 'reward_stock', ['change_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reward_stock_change_id'), table_name='reward_stock')
    op.drop_table('reward_stock')
    op.drop_column('rewards', 'updated_by')
    op.drop_column('rewards', 'per_branch_stock')
    op.drop_column('rewards', 'in_window')
    op.drop_column('rewards', 'active_until')
    op.drop_column('rewards', 'active_from')
