"""Indexes built on a live chain's database without blocking its counters (``CREATE INDEX CONCURRENTLY``).

A concurrent build that fails (cancelled, a lost connection, a timeout) leaves the index behind marked invalid:
the planner never uses it, yet every write keeps it up to date. ``IF NOT EXISTS`` would then keep that invalid
index for good when the migration runs again; :func:`create_index` drops it first, so running the migration
again builds a valid one."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op


def create_index(name: str, table: str, columns: list[str], **kw: Any) -> None:
    """``op.create_index`` concurrently, outside a transaction (PostgreSQL only), replacing an invalid leftover
    of an earlier attempt."""
    with op.get_context().autocommit_block():
        invalid = op.get_bind().execute(sa.text(
            "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = :name AND c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid"),
            {"name": name}).first()
        if invalid is not None:
            op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)
        op.create_index(name, table, columns, postgresql_concurrently=True, if_not_exists=True, **kw)
