"""Member name search by an index instead of a scan: an SQLite FTS5 table with the trigram tokenizer over the
members' names (any run of three or more characters of a name matches, so Thai names written without spaces and
parts of names are found; Latin letters match in any case), kept in step with ``members`` by three triggers.

Self-contained on purpose: its own virtual table ``member_name_index`` (one column, ``name``; its rowid is the
member row's rowid) and the triggers ``member_name_index_ai/_au/_ad``, which read only ``members.rowid`` and
``members.name`` (after insert, after an update of ``name``, after delete). Nothing else of the schema changes.

Built only if needed: a ledger that already has the table keeps it, and an SQLite without FTS5 or the trigram
tokenizer (before 3.34) gets nothing; the search then reads every name as before (see
``Ledger.search_members_by_name``). Existing ledgers are indexed here from their members.

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-30
"""
from alembic import op
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "member_name_index"
DDL = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(name, tokenize = 'trigram')",
    f"""CREATE TRIGGER {TABLE}_ai AFTER INSERT ON members BEGIN
        INSERT INTO {TABLE} (rowid, name) VALUES (new.rowid, new.name);
    END""",
    f"""CREATE TRIGGER {TABLE}_au AFTER UPDATE OF name ON members BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.rowid;
        INSERT INTO {TABLE} (rowid, name) VALUES (new.rowid, new.name);
    END""",
    f"""CREATE TRIGGER {TABLE}_ad AFTER DELETE ON members BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.rowid;
    END""",
    f"INSERT INTO {TABLE} (rowid, name) SELECT rowid, name FROM members",
]


def upgrade() -> None:
    conn = op.get_bind()
    if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = :t"), {"t": TABLE}).first() is not None:
        return  # already built
    try:  # probe on a throwaway table: this SQLite may lack FTS5 or the trigram tokenizer
        conn.execute(text("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x, tokenize = 'trigram')"))
    except OperationalError:
        return  # the search keeps reading every name
    conn.execute(text("DROP TABLE temp.fts5_probe"))
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
