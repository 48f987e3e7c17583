"""member-branch links for the branch-scoped change feed (docs/sync-protocol.md, "Branch scope")

Existing data: every member is linked to the branches of the terminals that made its entries and of the terminal
that enrolled it. These links get change id 0: no terminal can hold a branch-scope cursor from before them (the
scope did not exist), a new terminal starts from 0 and receives every linked member's rows and entries anyway,
and a terminal that narrows from the full feed already holds them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 07:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_branches",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("branch_id", sa.String(length=64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "branch_id", name=op.f("pk_member_branches")),
    )
    op.create_index(op.f("ix_member_branches_change_id"), "member_branches", ["change_id"], unique=False)
    op.create_index("ix_member_branches_branch_member", "member_branches", ["branch_id", "member_id"],
                    unique=False)
    op.execute(
        "INSERT INTO member_branches (member_id, branch_id, linked_at, change_id) "
        "SELECT DISTINCT made.member_id, t.branch_id, CURRENT_TIMESTAMP, 0 FROM ("
        "  SELECT member_id, terminal_id FROM entries"
        "  UNION SELECT id, terminal_id FROM members WHERE terminal_id IS NOT NULL"
        ") AS made JOIN terminals t ON t.id = made.terminal_id")


def downgrade() -> None:
    op.drop_index("ix_member_branches_branch_member", table_name="member_branches")
    op.drop_index(op.f("ix_member_branches_change_id"), table_name="member_branches")
    op.drop_table("member_branches")
