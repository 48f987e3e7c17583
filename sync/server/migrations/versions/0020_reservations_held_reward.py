"""the held reservations of a reward, indexed (ix_reservations_held_reward, partial): each online hold on a reward
whose stock is counted counts the holds already on it (service._check_reward_left), and the reservations table
keeps every online redemption ever made

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 15:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HELD = sa.text("status = 'held'")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        # built without blocking the counters' reservations meanwhile: CONCURRENTLY, outside a transaction
        with op.get_context().autocommit_block():
            op.create_index("ix_reservations_held_reward", "reservations", ["reward_code"], postgresql_where=_HELD,
                            postgresql_concurrently=True, if_not_exists=True)
    else:
        op.create_index("ix_reservations_held_reward", "reservations", ["reward_code"], sqlite_where=_HELD)


def downgrade() -> None:
    op.drop_index("ix_reservations_held_reward", table_name="reservations")
