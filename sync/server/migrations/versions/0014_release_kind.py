"""release kind: a channel carries a tarball kit and a .deb of each version side by side

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('releases', recreate='auto') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=8), nullable=False, server_default='tar'))
        batch.drop_constraint('pk_releases', type_='primary')
        batch.create_primary_key('pk_releases', ['channel', 'kind', 'version'])


def downgrade() -> None:
    op.execute("DELETE FROM releases WHERE kind <> 'tar'")
    with op.batch_alter_table('releases', recreate='auto') as batch:
        batch.drop_constraint('pk_releases', type_='primary')
        batch.create_primary_key('pk_releases', ['channel', 'version'])
        batch.drop_column('kind')
