"""a standalone terminal joins the chain with its records: the last seq it made before joining

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 23:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('terminals') as batch:
        batch.add_column(sa.Column('takeover_seq', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('terminals') as batch:
        batch.drop_column('takeover_seq')
