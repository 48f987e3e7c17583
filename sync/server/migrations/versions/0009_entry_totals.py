"""points per day, branch and kind for the head-office dashboard (kept from the change feed)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 23:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('entry_totals',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('branch', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('entries', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'branch', 'kind', name=op.f('pk_entry_totals'))
    )
    # totals start at nothing and a watermark of 0: the first refresh adds every existing entry
    op.execute("DELETE FROM counters WHERE name = 'entry_totals_upto'")


def downgrade() -> None:
    op.drop_table('entry_totals')
    op.execute("DELETE FROM counters WHERE name = 'entry_totals_upto'")
