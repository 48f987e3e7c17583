"""the one sale each points-multiplier voucher multiplied (docs/vouchers.md, "Multiplier vouchers")

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-30 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "voucher_multiplied",
        sa.Column("voucher_id", sa.String(length=24), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("voucher_id", name=op.f("pk_voucher_multiplied")),
    )


def downgrade() -> None:
    op.drop_table("voucher_multiplied")
