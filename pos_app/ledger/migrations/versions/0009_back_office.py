"""The back office: the store manager's acknowledgements of the flags sync brought for the branch (the back office's Flags page):
one row per flag, written once (who and when). The flags themselves are head office's, kept as the last pull
sent them (meta ``sync_branch_flags``); acknowledging one here tells this store's managers it was seen, and
resolving it stays head office's (the console or ``loyalty-server flags resolve``).

And the reports' speed (bench/bench_ui.py, a month of 100,000 entries): ``report_hours``, this terminal's awards
and redemptions summed per UTC hour, operator, reward and kind, kept by a trigger in the transaction of each entry
(entries are never updated or deleted: triggers of 0001), and filled here from the entries already held. A
month's report reads some thousand summary rows instead of scanning and grouping every entry. Bangkok has no
daylight saving and a whole-hour offset, so its days and hours are whole UTC hours. A partial index serves the
reports' foreign-currency lines (the report index does not hold the currency columns).

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


REPORT_HOURS_TRIGGER = """CREATE TRIGGER entries_report_hours AFTER INSERT ON entries
WHEN NEW.kind IN ('earn', 'redeem') AND NEW.origin = 'local'
BEGIN
  INSERT INTO report_hours VALUES (NEW.sale_at_ms / 3600000, COALESCE(NEW.operator_id, '-'),
    COALESCE(NEW.reward_code, ''), NEW.kind, 1, NEW.points, COALESCE(NEW.amount_satang, 0))
  ON CONFLICT (hour, operator_id, reward_code, kind) DO UPDATE SET n = n + 1, points = points + excluded.points,
    amount_satang = amount_satang + excluded.amount_satang;
END"""

REPORT_HOURS_FILL = ("INSERT INTO report_hours SELECT sale_at_ms / 3600000, COALESCE(operator_id, '-'), "
                     "COALESCE(reward_code, ''), kind, COUNT(*), SUM(points), SUM(COALESCE(amount_satang, 0)) "
                     "FROM entries WHERE kind IN ('earn', 'redeem') AND origin = 'local' GROUP BY 1, 2, 3, 4")


def upgrade() -> None:
    op.execute("CREATE TABLE flag_acks (flag_key TEXT PRIMARY KEY, staff_id TEXT NOT NULL, "
               "at_ms INTEGER NOT NULL)")
    op.execute("CREATE TABLE report_hours (hour INTEGER NOT NULL, operator_id TEXT NOT NULL, reward_code TEXT NOT NULL, "
               "kind TEXT NOT NULL, n INTEGER NOT NULL, points INTEGER NOT NULL, amount_satang INTEGER NOT NULL, "
               "PRIMARY KEY (hour, operator_id, reward_code, kind)) WITHOUT ROWID")
    op.execute(REPORT_HOURS_TRIGGER)
    op.execute(REPORT_HOURS_FILL)
    # The reports' "paid in other currencies" lines: the few foreign-currency sales of a range, without reading
    # every entry of the range from the table (the report index does not hold the currency columns; a month of
    # 100,000 entries took a table look-up each: bench/bench_ui.py).
    op.execute("CREATE INDEX ix_entries_currency ON entries (sale_at_ms, currency, amount_minor, amount_satang) "
               "WHERE currency IS NOT NULL AND kind = 'earn' AND origin = 'local'")


def downgrade() -> None:
    raise RuntimeError("the ledger is never downgraded: restore a backup instead")
