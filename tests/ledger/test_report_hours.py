"""The hourly summary the reports read (``report_hours``, migration 0009) always says what the entries say: kept
by a trigger with each entry, filled from the entries already held when a ledger is migrated, and read only for
ranges of whole hours."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

from pos_app.ledger.repository import HOUR_MS, Ledger, NewEntry

T0 = 1_795_000_000_000 - 1_795_000_000_000 % HOUR_MS  # a whole hour


def _fill(ledger: Ledger, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with ledger.write() as conn:
        for member_id in ("m1", "m2"):
            ledger.add_member(conn, member_id=member_id, card_no=f"80000000000000{member_id[-1]}0", name=member_id,
                              phone=None, tier="member", consent=True, created_at_ms=T0)
    for i in range(count):
        kind = rng.choice(["earn", "earn", "redeem", "adjust"])
        points = rng.randint(0, 300) * (-1 if kind == "redeem" else 1)
        with ledger.write() as conn:
            ledger.append_entry(conn, NewEntry(
                member_id=rng.choice(["m1", "m2"]), kind=kind, points=points,
                sale_at_ms=T0 + rng.randint(0, 72 * HOUR_MS), operator_id=rng.choice(["c1", "c2", None]),
                amount_satang=rng.choice([None, rng.randint(0, 10**6)]),
                reward_code=rng.choice([None, "COFFEE", "BAG"]) if kind == "redeem" else None,
                receipt_ref=f"R{i}", reason="x" if kind == "adjust" else None))


def _both(ledger: Ledger, start: int, end: int) -> tuple[list[tuple], list[tuple]]:
    with ledger.read() as conn:
        return sorted(ledger.day_activity(conn, start, end), key=repr), \
            sorted(ledger.day_activity_scan(conn, start, end), key=repr)


def test_the_summary_says_what_the_entries_say_for_every_whole_hour_range(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    try:
        _fill(ledger, 400, seed=9)
        rng = random.Random(4)
        for _ in range(30):
            first = rng.randint(-2, 70)
            start, end = T0 + first * HOUR_MS, T0 + (first + rng.randint(1, 30)) * HOUR_MS
            summary, scan = _both(ledger, start, end)
            assert summary == scan, (start, end)
        whole = _both(ledger, T0, T0 + 73 * HOUR_MS)[0]
        assert sum(row[4] for row in whole) > 250  # the ranges above held entries, not just nothing
        with ledger.read() as conn:  # a range that is not whole hours is scanned
            odd = sorted(ledger.day_activity(conn, T0 + 1, T0 + 5 * HOUR_MS), key=repr)
            assert odd == sorted(ledger.day_activity_scan(conn, T0 + 1, T0 + 5 * HOUR_MS), key=repr)
    finally:
        ledger.close()


def test_a_migrated_ledger_fills_the_summary_from_its_entries(tmp_path: Path) -> None:
    fill_sql = importlib.import_module("pos_app.ledger.migrations.versions.0009_back_office").REPORT_HOURS_FILL
    ledger = Ledger.open(tmp_path)
    try:
        _fill(ledger, 150, seed=3)
        with ledger.read() as conn:
            kept = sorted(conn.exec_driver_sql("SELECT * FROM report_hours").fetchall())
        with ledger.write() as conn:  # as a ledger of revision 0006 has it: entries, no summary yet
            conn.exec_driver_sql("DELETE FROM report_hours")
            conn.exec_driver_sql(fill_sql)
            assert sorted(conn.exec_driver_sql("SELECT * FROM report_hours").fetchall()) == kept
        assert len(kept) > 20
    finally:
        ledger.close()
