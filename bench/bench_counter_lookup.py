"""Name search and the void list on a big ledger (issue 9): figures and ratios against baselines measured in the
same run.

    python bench/bench_counter_lookup.py [--members 100000] [--entries 1000000] [--runs 200]

1. ``search_members`` (part of a name, Thai and English) over ``--members`` members, p50/p95, against
   ``identify`` by phone (an exact, indexed lookup) on the same file, **before and after the name index**: with
   the trigram index of migration 0011 (``member_name_index``), then on the same file with the index dropped
   (what the search did before: LIKE '%text%' reads every name). Ratio before/after in the same run.
2. ``voidable()`` (what the counter may void now) on a ledger of ``--entries`` old entries plus 5 fresh
   awards, against the same call on a ledger holding only the 5 fresh awards: it walks back from the newest
   entry and stops at the first one older than the void window, so the ratio stays near 1 whatever the size.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ledger import bulk_entries  # noqa: E402

from pos_app.core.cardno import luhn_check_digit  # noqa: E402
from pos_app.services import open_terminal  # noqa: E402

THAI_FIRST = ["สมชาย", "สมหญิง", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนันต์", "กนกพร"]
THAI_LAST = ["ใจดี", "รักไทย", "ศรีสุข", "มั่นคง", "ทองดี", "แก้วใส"]
EN_FIRST = ["Somchai", "Anna", "John", "Malee", "Wichai", "Suda", "Peter", "Nok"]
EN_LAST = ["Jaidee", "Smith", "Wong", "Srisuk", "Thongdee", "Brown"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def line(label: str, values: list[float]) -> str:
    return f"{label:<44} p50 {pct(values, 0.5) * 1000:8.3f} ms  p95 {pct(values, 0.95) * 1000:8.3f} ms"


def bulk_named_members(path: Path, count: int) -> list[tuple[str, str]]:
    rng = random.Random(9)
    rows, bal = [], []
    for i in range(count):
        member_id = f"00000000-0000-7000-8000-{i:012d}"
        body = f"8{i:014d}"
        if rng.random() < 0.5:
            name = f"{rng.choice(THAI_FIRST)} {rng.choice(THAI_LAST)} {i}"
        else:
            name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)} {i}"
        rows.append((member_id, body + luhn_check_digit(body), name, f"08{i:08d}", "member", 1, 0, "bench", None,
                     None, "remote"))
        bal.append((member_id, 0, 0, 0))
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO balances VALUES (?,?,?,?)", bal)
    con.commit()
    con.close()
    return [(r[0], r[3]) for r in rows[:: max(1, count // 50)]]


def fresh_awards(svc: object) -> None:
    m = svc.members.enroll(name="Fresh Member", phone="0899999999", operator_id="c")  # type: ignore[attr-defined]
    for i in range(5):
        svc.award(member_id=m.id, amount_satang=10_000, receipt_ref=f"F{i}", operator_id="c")  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = open_terminal(Path(tmp) / "big")
        sample = bulk_named_members(big.ledger.path, args.members)
        print(f"{args.members:,} members")
        phones = [p for _, p in sample]
        by_phone = timed(lambda: big.identify(random.choice(phones)), args.runs)
        print(line("identify by phone (baseline)", by_phone))
        queries = ["สมชาย", "jaidee", "ศรีสุข 77"]  # common Thai, common English, one person's name and number
        found = {q: [m.id for m in big.search_members(q)] for q in queries}
        after = {q: timed(lambda q=q: big.search_members(q), args.runs) for q in queries}
        with big.ledger.write() as conn:  # the same file as before migration 0011: no index, a scan
            for trigger in ("ai", "au", "ad"):
                conn.exec_driver_sql(f"DROP TRIGGER member_name_index_{trigger}")
            conn.exec_driver_sql("DROP TABLE member_name_index")
        assert {q: [m.id for m in big.search_members(q)] for q in queries} == found  # the same answers
        before = {q: timed(lambda q=q: big.search_members(q), args.runs) for q in queries}
        for q in queries:
            print(line(f"search_members({q!r}) before (scan)", before[q]))
            print(line(f"search_members({q!r}) after (index)", after[q]))
            print(f"  ratio p50 before/after: {pct(before[q], 0.5) / pct(after[q], 0.5):.1f}x, "
                  f"p95 {pct(before[q], 0.95) / pct(after[q], 0.95):.1f}x; after/identify p95: "
                  f"{pct(after[q], 0.95) / pct(by_phone, 0.95):.1f}x")

        bulk_entries(big, args.entries, [(m, p, "") for m, p in sample], big.clock() - 3_600_000)
        fresh_awards(big)
        small = open_terminal(Path(tmp) / "small")
        fresh_awards(small)
        assert len(big.voidable()) == len(small.voidable()) == 5
        on_big = timed(big.voidable, args.runs)
        on_small = timed(small.voidable, args.runs)
        print(f"{args.entries:,} old entries")
        print(line("voidable() with 5 fresh awards only (baseline)", on_small))
        print(line(f"voidable() with {args.entries:,} old entries too", on_big))
        print(f"ratio p95 big / small: {pct(on_big, 0.95) / pct(on_small, 0.95):.2f}x")
        big.close()
        small.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
