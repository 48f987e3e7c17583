"""terminal health: each terminal's latest heartbeat and a short history of changes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:55:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('terminal_health',
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('app_version', sa.String(length=40), nullable=False),
    sa.Column('records_waiting', sa.BigInteger(), nullable=False),
    sa.Column('printer', sa.String(length=8), nullable=False),
    sa.Column('camera', sa.String(length=8), nullable=False),
    sa.Column('doctor', sa.String(length=8), nullable=False),
    sa.Column('free_disk_mb', sa.BigInteger(), nullable=True),
    sa.Column('last_backup', sa.String(length=40), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['terminal_id'], ['terminals.id'],
                            name=op.f('fk_terminal_health_terminal_id_terminals')),
    sa.PrimaryKeyConstraint('terminal_id', name=op.f('pk_terminal_health'))
    )
    op.create_table('terminal_health_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terminal_health_log'))
    )
    op.create_index('ix_terminal_health_log_terminal', 'terminal_health_log', ['terminal_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_terminal_health_log_terminal', table_name='terminal_health_log')
    op.drop_table('terminal_health_log')
    op.drop_table('terminal_health')
