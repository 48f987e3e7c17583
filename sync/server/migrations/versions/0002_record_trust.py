"""record trust: corrections, quarantine and per-terminal compensations on entries

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('entries') as batch:
        batch.add_column(sa.Column('corrects_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('quarantined', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('for_terminal_id', sa.String(length=64), nullable=True))
        batch.create_index('ix_entries_corrects_id', ['corrects_id'], unique=False,
                           postgresql_where=sa.text('corrects_id IS NOT NULL'),
                           sqlite_where=sa.text('corrects_id IS NOT NULL'))
    # Existing corrections: corrects_id from the stored payload (canonical JSON, so a plain text search is exact).
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, payload FROM entries WHERE payload LIKE '%\"corrects_id\":\"%'")).all()
    import json
    for entry_id, payload in rows:
        bind.execute(sa.text("UPDATE entries SET corrects_id = :c WHERE id = :i"),
                     {"c": json.loads(payload).get("corrects_id"), "i": entry_id})


def downgrade() -> None:
    with op.batch_alter_table('entries') as batch:
        batch.drop_index('ix_entries_corrects_id')
        batch.drop_column('for_terminal_id')
        batch.drop_column('quarantined')
        batch.drop_column('corrects_id')
