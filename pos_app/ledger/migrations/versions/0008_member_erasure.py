"""Member privacy (PDPA, docs/privacy.md): a member's personal data can be erased.

``members.erased_at_ms`` says when the member's name and phone were erased here (they are then '' and NULL).
The outbox stays append-only except for one change: the member record of an erased member may be rewritten
into its erased form (same seq, same member id, empty name, no phone); nothing else in the outbox can change.
Entries stay append-only without exception: they hold the member's pseudonymous id, never the name or phone,
so the hash chain is untouched and ``verify`` of a ledger that was already in the field still passes.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

DDL = [
    "ALTER TABLE members ADD COLUMN erased_at_ms INTEGER",
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
