"""member privacy (PDPA, docs/privacy.md): when a member's personal data was erased, and the erasure log

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-30 01:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('members', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('member_erasures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_erasures'))
    )
    op.create_index(op.f('ix_member_erasures_member_id'), 'member_erasures', ['member_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_member_erasures_member_id'), table_name='member_erasures')
    op.drop_table('member_erasures')
    op.drop_column('members', 'erased_at')
