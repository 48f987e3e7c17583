"""the open flags of a terminal, indexed (ix_flags_open_terminal): each sync round of every counter asks for its
branch's open flags (protocol 1.3 carries the question in POST /v1/sync), which scanned every flag ever raised

Revision ID: 0019
Revises: 0016
Create Date: 2026-11-30 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.server.migrations import concurrently

revision: str = "0019"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    where = sa.text("resolved_at IS NULL")
    if op.get_context().dialect.name == "postgresql":
        # built without blocking the counters' uploads that raise flags meanwhile (a chain's flags table holds
        # years of them); an invalid leftover of a failed attempt is replaced
        concurrently.create_index("ix_flags_open_terminal", "flags", ["terminal_id", "id"], postgresql_where=where)
    else:
        op.create_index("ix_flags_open_terminal", "flags", ["terminal_id", "id"], sqlite_where=where)


def downgrade() -> None:
    op.drop_index("ix_flags_open_terminal", table_name="flags")
