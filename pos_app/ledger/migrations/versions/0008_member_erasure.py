"""Member privacy (PDPA, docs/privacy.md): consent records, and a member's personal data can be erased.

``consents`` holds the consent records made here or (for the current marketing choice) learnt from the server:
appended, never changed (triggers). ``members.marketing_consent`` is the member's newest marketing choice.

``members.erased_at_ms`` says when the member's name and phone were erased here (they are then '' and NULL).
The outbox stays append-only except for one change: the member record of an erased member may be rewritten
into its erased form (same seq, same member id, empty name, no phone); nothing else in the outbox can change.
Entries stay append-only without exception: they hold the member's pseudonymous id, never the name or phone,
so the hash chain is untouched and ``verify`` of a ledger that was already in the field still passes.

Revision ID: 0008
Revises: 0011
Create Date: 2026-11-30
"""
from alembic import op

revision = "0008"
down_revision = "0011"
branch_labels = None
depends_on = None

DDL = [
    "ALTER TABLE members ADD COLUMN erased_at_ms INTEGER",
    "ALTER TABLE members ADD COLUMN marketing_consent BOOLEAN",
    """CREATE TABLE consents (
        id TEXT NOT NULL PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        member_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        granted BOOLEAN NOT NULL,
        text_version TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        branch_id TEXT,
        staff_id TEXT,
        content_hash TEXT NOT NULL)""",
    "CREATE INDEX ix_consents_member ON consents (member_id)",
    """CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
        BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END""",
    """CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
        BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END""",
    "DROP TRIGGER outbox_no_update",
    """CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
        WHEN NOT (OLD.type = 'member' AND NEW.type = 'member' AND NEW.seq = OLD.seq AND NEW.ref_id = OLD.ref_id
                  AND json_extract(NEW.payload, '$.member.id') = OLD.ref_id
                  AND json_extract(NEW.payload, '$.member.name') = ''
                  AND json_type(NEW.payload, '$.member.phone') = 'null')
        BEGIN SELECT RAISE(ABORT, 'outbox records are append-only'); END""",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
