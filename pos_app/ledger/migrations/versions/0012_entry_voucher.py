"""Points-multiplier vouchers on sales: an ``earn`` entry may keep the voucher used with the sale and its factor
(record format 2's optional fields ``voucher_id`` and ``points_factor``; the entry's points are already
multiplied). Existing entries keep NULL there, which is how they were hashed (the fields are absent from their
records).

Revision ID: 0012
Revises: 0008
Create Date: 2026-11-30
"""
from alembic import op

revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None

DDL = [
    "ALTER TABLE entries ADD COLUMN voucher_id TEXT",
    "ALTER TABLE entries ADD COLUMN points_factor INTEGER",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
