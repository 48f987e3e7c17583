"""Indexes for the daily report: the report reads one day of entries by kind.

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
    op.execute("CREATE INDEX ix_entries_kind_sale ON entries (kind, sale_at_ms)")


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
