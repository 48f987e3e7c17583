"""Ledger benchmarks (issue 2): figures and ratios against baselines measured in the same run.

    python bench/bench_ledger.py [--awards 2000] [--members 1000000] [--entries 1000000]

1. Award through the service (p50/p99) vs a bare sqlite3 insert-plus-update with the same durability
   (WAL, synchronous=FULL, BEGIN IMMEDIATE).           target: service p99 <= 2x bare p99
2. Member lookup by phone, card number and signed member code with 1,000,000 members.  target: p99 <= 2 ms
3. The daily report over 1,000,000 entries.                                             target: <= 10 ms
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.core.cardno import luhn_check_digit  # noqa: E402
from pos_app.ledger.canonical import ms_to_dt  # noqa: E402
from pos_app.services import open_terminal  # noqa: E402
from pos_app.services.demo import DEMO_KEY_ID, demo_key  # noqa: E402

DAY_MS = 86_400_000
_BULK_INSERT = ("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                "NULL,NULL,NULL,NULL,NULL)")  # baht entries: no currency, amount_minor, fx_rate (migration 0006),
# no multiplier voucher (voucher_id, points_factor: migration 0012)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def fmt(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5) * 1000:7.3f} ms  p99 {pct(values, 0.99) * 1000:7.3f} ms"


def bare_award(path: Path, n: int) -> list[float]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE entries (id TEXT PRIMARY KEY, member_id TEXT, points INTEGER, created_at INTEGER)")
    con.execute("CREATE TABLE balances (member_id TEXT PRIMARY KEY, points INTEGER)")
    con.execute("INSERT INTO balances VALUES ('m1', 0)")
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO entries VALUES (?, 'm1', 4, ?)", (f"e{i}", i))
        con.execute("UPDATE balances SET points = points + 4 WHERE member_id = 'm1'")
        con.execute("COMMIT")
        times.append(time.perf_counter() - t0)
    con.close()
    return times


def service_award(folder: Path, n: int) -> list[float]:
    svc = open_terminal(folder)
    members = [svc.members.enroll(name=f"B{i}", phone=f"08100000{i:02d}", operator_id="bench").id for i in range(20)]
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        svc.award(member_id=members[i % 20], amount_satang=10_000 + i, receipt_ref=f"R{i}", operator_id="bench")
        times.append(time.perf_counter() - t0)
    svc.close()
    return times


def bulk_members(svc, count: int) -> list[tuple[str, str, str]]:
    """Insert ``count`` members straight into the file (setup only), returning a sample to look up."""
    rng = random.Random(1)
    con = sqlite3.connect(svc.ledger.path)
    rows, bal, sample = [], [], []
    for i in range(count):
        member_id = f"00000000-0000-7000-8000-{i:012d}"
        body = f"8{i:014d}"
        card = body + luhn_check_digit(body)
        phone = f"08{i:08d}"
        rows.append((member_id, card, f"Member {i}", phone, "member", 1, 0, "bench", None, None, "remote"))
        bal.append((member_id, 0, 0, 0))
        if rng.random() < 0.0005:
            sample.append((member_id, card, phone))
    con.executemany("INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO balances VALUES (?,?,?,?)", bal)
    con.commit()
    con.close()
    return sample


def bulk_entries(svc, count: int, members: list[tuple[str, str, str]], end_ms: int) -> None:
    """``count`` entries over the past year (setup only; the bench reads, it does not verify the chain)."""
    rng = random.Random(2)
    con = sqlite3.connect(svc.ledger.path)
    con.execute("DROP TRIGGER IF EXISTS entries_no_update")  # (bench file only)
    batch = []
    for i in range(count):
        kind = "earn" if rng.random() < 0.8 else "redeem"
        points = rng.randint(1, 400) * (1 if kind == "earn" else -1)
        sale = end_ms - rng.randint(0, 365 * DAY_MS)
        batch.append((f"bulk-{i}", "bench-terminal", i + 1, members[i % len(members)][0], kind, points,
                      "chain:issued" if kind == "earn" else "chain:redeemed", 25_00 * abs(points),
                      f"BR{i}", None if kind == "earn" or rng.random() < 0.5 else rng.choice(["COFFEE", "BAG"]),
                      None, 1, "member", "[]", sale, 0, rng.choice(["c1", "c2", "c3", "m1"]), None, None, 0,
                      None, None, "x", "x", "local", sale))
        if len(batch) == 50_000:
            con.executemany(_BULK_INSERT, batch)
            batch.clear()
    if batch:
        con.executemany(_BULK_INSERT, batch)
    con.commit()
    con.execute("ANALYZE")
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--awards", type=int, default=2000)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        # Interleave the two so that machine noise hits both alike.
        bare: list[float] = []
        svc_times: list[float] = []
        half = args.awards // 2
        for round_ in range(2):
            bare += bare_award(tmp_path / f"bare{round_}.sqlite3", half)
            svc_times += service_award(tmp_path / f"svc{round_}", half)
        print(f"award, bare sqlite3 (WAL+FULL)      : {fmt(bare)}   ({len(bare) / sum(bare):,.0f} tx/s)")
        print(f"award, through the service          : {fmt(svc_times)}   ({len(svc_times) / sum(svc_times):,.0f} tx/s)")
        ratio = pct(svc_times, 0.99) / pct(bare, 0.99)
        print(f"award p99 ratio service/bare        : {ratio:5.2f}x   (target <= 2.00x)")

        svc = open_terminal(tmp_path / "big")
        t0 = time.perf_counter()
        sample = bulk_members(svc, args.members)
        key = demo_key(svc)
        from pos_app.core.member_codes import public_key_bytes, sign_member_code

        with svc.ledger.write() as conn:
            svc.ledger.put_signing_key(conn, DEMO_KEY_ID, public_key_bytes(key))
        now = ms_to_dt(svc.clock())
        codes = [sign_member_code(key, DEMO_KEY_ID, m[0], now, now + timedelta(days=365)) for m in sample]
        print(f"setup: {args.members:,} members in {time.perf_counter() - t0:.1f} s; sample {len(sample)}")
        for label, keys in (("phone", [m[2] for m in sample]), ("card number", [m[1] for m in sample]),
                            ("signed member code", codes)):
            times = []
            for _ in range(5):
                for k in keys:
                    t1 = time.perf_counter()
                    svc.identify(k)
                    times.append(time.perf_counter() - t1)
            print(f"identify by {label:<19}: {fmt(times)}   (target p99 <= 2 ms)")

        t0 = time.perf_counter()
        bulk_entries(svc, args.entries, sample, svc.clock())
        print(f"setup: {args.entries:,} entries in {time.perf_counter() - t0:.1f} s")
        # yesterday (Bangkok): a whole day of entries, whatever the time of the run
        from datetime import date as _date
        day = (_date.fromisoformat(svc.today()) - timedelta(days=1)).isoformat()
        times = []
        for _ in range(30):
            t1 = time.perf_counter()
            report = svc.daily_report(day)
            times.append(time.perf_counter() - t1)
        print(f"daily report over {args.entries:,} entries : {fmt(times)}   "
              f"({report.totals.awards} awards, {report.totals.redemptions} redemptions that day; target <= 10 ms)")
        svc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
