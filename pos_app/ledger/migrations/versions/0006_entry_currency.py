"""Sales in other currencies: an entry may keep the sale's currency, its amount in that currency's minor units
and the rate used (record format 2's optional fields; ``amount_satang`` stays the THB equivalent). Existing
entries keep NULL there, which is how they were hashed (the fields are absent from their records).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-29
"""
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

DDL = [
    "ALTER TABLE entries ADD COLUMN currency TEXT",
    "ALTER TABLE entries ADD COLUMN amount_minor INTEGER",
    "ALTER TABLE entries ADD COLUMN fx_rate TEXT",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
