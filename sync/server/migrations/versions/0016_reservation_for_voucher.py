"""a hold taken to buy a voucher with points (reservations.for_voucher): a redemption of a voucher reward without
one is flagged voucher_reward_redeemed (docs/vouchers.md, "A voucher bought with points")

Revision ID: 0016
Revises: 0017
Create Date: 2026-11-30 07:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reservations", sa.Column("for_voucher", sa.Boolean(), server_default=sa.text("false"),
                                            nullable=False))


def downgrade() -> None:
    op.drop_column("reservations", "for_voucher")
