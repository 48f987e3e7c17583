"""Staff PINs that resist guessing: failed-attempt counters, an append-only audit trail (uploaded to the
server as ``audit`` outbox records), and per-staff PIN facts (phone for the PIN policy, must change the PIN
at next sign-in, demo staff, the last head-office unlock applied).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DDL = [
    "ALTER TABLE staff ADD COLUMN phone TEXT",
    "ALTER TABLE staff ADD COLUMN must_change_pin BOOLEAN NOT NULL DEFAULT 0",
    "ALTER TABLE staff ADD COLUMN demo BOOLEAN NOT NULL DEFAULT 0",
    "ALTER TABLE staff ADD COLUMN unlocked_at_ms INTEGER",
    # One row per (scope, purpose): scope is 'staff:<id>' or 'terminal' (PINs typed without naming anyone).
    """CREATE TABLE pin_guard (
        scope TEXT NOT NULL, purpose TEXT NOT NULL CHECK (purpose IN ('sign_in','approval')),
        failures INTEGER NOT NULL, last_failure_at_ms INTEGER NOT NULL, locked_at_ms INTEGER,
        PRIMARY KEY (scope, purpose))""",
    """CREATE TABLE audit_events (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, at_ms INTEGER NOT NULL, staff_id TEXT,
        event TEXT NOT NULL, purpose TEXT, details_json TEXT NOT NULL, content_hash TEXT NOT NULL)""",
    "CREATE INDEX ix_audit_events_at ON audit_events (at_ms)",
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
