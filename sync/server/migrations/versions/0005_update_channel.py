"""update channel: signed releases of the terminal program and the quiet-time windows for installing them

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('releases',
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('signature', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'version', name=op.f('pk_releases'))
    )
    op.create_table('update_windows',
    sa.Column('branch_id', sa.String(length=64), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('branch_id', name=op.f('pk_update_windows'))
    )


def downgrade() -> None:
    op.drop_table('update_windows')
    op.drop_table('releases')
