"""The first ledger schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DDL = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE members (
        id TEXT PRIMARY KEY, card_no TEXT NOT NULL UNIQUE, name TEXT NOT NULL, phone TEXT UNIQUE,
        tier TEXT NOT NULL, consent BOOLEAN NOT NULL, created_at_ms INTEGER NOT NULL, terminal_id TEXT NOT NULL,
        member_code TEXT, flagged TEXT, origin TEXT NOT NULL)""",
    """CREATE TABLE balances (
        member_id TEXT PRIMARY KEY REFERENCES members(id), points INTEGER NOT NULL,
        earned_total INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL)""",
    """CREATE TABLE entries (
        id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, member_id TEXT NOT NULL REFERENCES members(id),
        kind TEXT NOT NULL CHECK (kind IN ('earn','redeem','reverse','adjust','expire','overdraft')),
        points INTEGER NOT NULL, contra_account TEXT NOT NULL, amount_satang INTEGER, receipt_ref TEXT,
        reward_code TEXT, corrects_id TEXT, rules_version INTEGER, tier_code TEXT, lines_json TEXT NOT NULL,
        sale_at_ms INTEGER NOT NULL, clock_offset_ms INTEGER NOT NULL, operator_id TEXT, approved_by TEXT,
        reason TEXT, offline BOOLEAN NOT NULL, reservation_id TEXT, op_id TEXT, content_hash TEXT NOT NULL,
        chain_hash TEXT NOT NULL, origin TEXT NOT NULL, recorded_at_ms INTEGER NOT NULL,
        UNIQUE (terminal_id, seq))""",
    "CREATE INDEX ix_entries_member_sale ON entries (member_id, sale_at_ms)",
    "CREATE INDEX ix_entries_receipt ON entries (receipt_ref) WHERE receipt_ref IS NOT NULL",
    "CREATE INDEX ix_entries_corrects ON entries (corrects_id) WHERE corrects_id IS NOT NULL",
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY, type TEXT NOT NULL, ref_id TEXT NOT NULL, payload TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL)""",
    """CREATE TABLE operations (
        op_id TEXT PRIMARY KEY, kind TEXT NOT NULL, request_hash TEXT NOT NULL, result_json TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL)""",
    """CREATE TABLE staff (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('cashier','manager','admin')),
        pin_hash TEXT NOT NULL, active BOOLEAN NOT NULL, origin TEXT NOT NULL)""",
    """CREATE TABLE rewards (
        code TEXT PRIMARY KEY, name_th TEXT NOT NULL, name_en TEXT NOT NULL, points_cost INTEGER NOT NULL,
        stock INTEGER, active BOOLEAN NOT NULL)""",
    "CREATE TABLE rules (version INTEGER PRIMARY KEY, bundle_json TEXT NOT NULL)",
    "CREATE TABLE signing_keys (key_id TEXT PRIMARY KEY, public_key BLOB NOT NULL, status TEXT NOT NULL)",
    # Append-only: the file itself refuses edits and deletions of what was recorded.
    """CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
    """CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
    """CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox records are append-only'); END""",
    """CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
        BEGIN SELECT RAISE(ABORT, 'outbox records are append-only'); END""",
    """CREATE TRIGGER operations_no_update BEFORE UPDATE ON operations
        BEGIN SELECT RAISE(ABORT, 'operations are append-only'); END""",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
