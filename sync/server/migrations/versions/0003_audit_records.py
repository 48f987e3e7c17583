"""audit records from terminals (wrong PINs, lockouts, unlocks, PIN changes, approvals); head-office PIN unlock

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_records',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_records'))
    )
    op.create_index(op.f('ix_audit_records_staff_id'), 'audit_records', ['staff_id'], unique=False)
    op.create_index('ix_audit_records_terminal_at', 'audit_records', ['terminal_id', 'at'], unique=False)
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('unlocked_at')
    op.drop_index('ix_audit_records_terminal_at', table_name='audit_records')
    op.drop_index(op.f('ix_audit_records_staff_id'), table_name='audit_records')
    op.drop_table('audit_records')
