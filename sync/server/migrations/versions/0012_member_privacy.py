"""member privacy (PDPA, docs/privacy.md): consent records, when a member's personal data was erased, and the
erasure log

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 01:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
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
    op.add_column('members', sa.Column('marketing_consent', sa.Boolean(), nullable=True))
    op.create_table('consents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('text_version', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('branch_id', sa.String(length=64), nullable=True),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    op.create_index(op.f('ix_consents_member_id'), 'consents', ['member_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_consents_member_id'), table_name='consents')
    op.drop_table('consents')
    op.drop_column('members', 'marketing_consent')
    op.drop_index(op.f('ix_member_erasures_member_id'), table_name='member_erasures')
    op.drop_table('member_erasures')
    op.drop_column('members', 'erased_at')
