"""The store manager's acknowledgements of the flags sync brought for the branch (the back office's Flags page):
one row per flag, written once (who and when). The flags themselves are head office's, kept as the last pull
sent them (meta ``sync_branch_flags``); acknowledging one here tells this store's managers it was seen, and
resolving it stays head office's (the console or ``loyalty-server flags resolve``).

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TABLE flag_acks (flag_key TEXT PRIMARY KEY, staff_id TEXT NOT NULL, "
               "at_ms INTEGER NOT NULL)")


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
