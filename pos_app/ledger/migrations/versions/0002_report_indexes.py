"""A covering index for the daily report: one day of entries is read from the index alone (no table
lookups), so the report stays in single-digit milliseconds over millions of entries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_entries_report ON entries "
        "(sale_at_ms, kind, origin, operator_id, reward_code, points, amount_satang)"
    )


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
