"""console: rules drafts, scheduled rules versions, per-address sign-in throttling, head office's block

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-30 01:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rules_drafts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('form_json', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_version', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rules_drafts'))
    )
    op.add_column('rules', sa.Column('effective_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('rules', sa.Column('pending', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.add_column('rules', sa.Column('published_by', sa.String(length=64), nullable=True))
    op.add_column('members', sa.Column('offline_blocked_by_hq', sa.Boolean(), server_default=sa.text('false'),
                                       nullable=False))
    op.create_table('console_ip_failures',
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_console_ip_failures'))
    )


def downgrade() -> None:
    op.drop_table('console_ip_failures')
    op.drop_column('members', 'offline_blocked_by_hq')
    op.drop_column('rules', 'published_by')
    op.drop_column('rules', 'pending')
    op.drop_column('rules', 'effective_at')
    op.drop_table('rules_drafts')
