"""Rewards that buy a voucher: the pulled reward may say so (``RewardOffer.voucher_benefit``, the voucher's benefit
as in its code, and ``voucher_valid_days``). The counter then buys the voucher through the server when such a
reward is redeemed and refuses an ordinary redemption of it. Existing rewards keep NULL (not a voucher) until the
server sends them again.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

DDL = [
    "ALTER TABLE rewards ADD COLUMN voucher_benefit TEXT",
    "ALTER TABLE rewards ADD COLUMN voucher_valid_days INTEGER",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
