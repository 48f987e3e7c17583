"""Vouchers used at this counter (docs/vouchers.md): one row per use, the voucher id unique (this counter never
takes one voucher twice), with the server's acknowledgement once it has recorded the use.

Revision ID: 0007
Revises: 0009
Create Date: 2026-11-30
"""
from alembic import op

revision = "0007"
down_revision = "0009"
branch_labels = None
depends_on = None

DDL = [
    """CREATE TABLE voucher_uses (
        op_id TEXT PRIMARY KEY,
        voucher_id TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL,
        kind TEXT NOT NULL,
        face_value_satang INTEGER NOT NULL,
        value_satang INTEGER NOT NULL,
        bill_satang INTEGER,
        receipt_ref TEXT NOT NULL,
        member_id TEXT,
        operator_id TEXT NOT NULL,
        sale_at_ms INTEGER NOT NULL,
        offline BOOLEAN NOT NULL,
        acked_at_ms INTEGER,
        conflict BOOLEAN
    )""",
    "CREATE INDEX ix_voucher_uses_pending ON voucher_uses (sale_at_ms) WHERE acked_at_ms IS NULL",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
