"""the held reservations of a reward by expiry, indexed (ix_reservations_held_reward, partial): each online hold on
a reward whose stock is counted counts the live holds already on it (service._check_reward_left). The table keeps
every online redemption ever made, and a hold that timed out stays 'held' (nothing moves it), so the count reads
only the holds that have not expired yet

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 15:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.server.migrations import concurrently

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HELD = sa.text("status = 'held'")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        # built without blocking the counters' reservations meanwhile (an invalid leftover of a failed attempt
        # is replaced)
        concurrently.create_index("ix_reservations_held_reward", "reservations", ["reward_code", "expires_at"],
                                  postgresql_where=_HELD)
    else:
        op.create_index("ix_reservations_held_reward", "reservations", ["reward_code", "expires_at"],
                        sqlite_where=_HELD)


def downgrade() -> None:
    op.drop_index("ix_reservations_held_reward", table_name="reservations")
