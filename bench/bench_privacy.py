"""What member privacy costs the terminal (issue 14), against baselines measured in the same run.

    python bench/bench_privacy.py [--awards 1000] [--entries 100000]

1. An award through the service with ``secure_delete=ON`` (the ledger's setting since migration 0008) against
   the same awards with it OFF on the same kind of file: p50/p99 and the ratio.
2. The one-time rewrite of a ledger written by an older version (``VACUUM`` at the first open after the
   upgrade) on a ledger of ``--entries`` entries, against a plain file copy of the same ledger (the backup
   the upgrade takes anyway).
3. One erasure pulled from the server (member row, outbox record, WAL truncation) on that ledger.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.ledger.repository import FREE_SPACE_ZEROED, Ledger, NewEntry  # noqa: E402
from pos_app.ledger.sync_store import LedgerSyncStore  # noqa: E402
from pos_app.services import open_terminal  # noqa: E402
from sync.records import ms_to_iso  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def fmt(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5) * 1000:7.3f} ms  p99 {pct(values, 0.99) * 1000:7.3f} ms"


def awards(folder: Path, n: int, secure_delete: bool) -> list[float]:
    services = open_terminal(folder)
    try:
        with services.ledger.write() as conn:  # the one writer connection every award uses
            conn.exec_driver_sql(f"PRAGMA secure_delete={'ON' if secure_delete else 'OFF'}")
        member = services.members.enroll(name="Bench Member", phone="0810000001", operator_id="bench").id
        times = []
        for i in range(n):
            start = time.perf_counter()
            services.award(member_id=member, amount_satang=25_000, receipt_ref=f"B{i}", operator_id="bench")
            times.append(time.perf_counter() - start)
        return times
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awards", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-privacy-"))
    try:
        off = awards(root / "off", args.awards, secure_delete=False)
        on = awards(root / "on", args.awards, secure_delete=True)
        print(f"1. award, secure_delete OFF: {fmt(off)}")
        print(f"   award, secure_delete ON:  {fmt(on)}   ratio p50 {pct(on, .5) / pct(off, .5):.2f}  "
              f"p99 {pct(on, .99) / pct(off, .99):.2f}")

        big = root / "big"
        ledger = Ledger.open(big)
        now = int(time.time() * 1000)
        with ledger.write() as conn:
            for m in range(1000):
                ledger.add_member(conn, member_id=f"m{m}", card_no=f"8{m:014d}0", name=f"Member {m:04d}",
                                  phone=f"08{m:08d}", tier="member", consent=True, created_at_ms=now)
        for start in range(0, args.entries, 5000):
            with ledger.write() as conn:
                for i in range(start, min(args.entries, start + 5000)):
                    ledger.append_entry(conn, NewEntry(member_id=f"m{i % 1000}", kind="earn", points=4,
                                                       sale_at_ms=now, operator_id="c", amount_satang=10_000,
                                                       receipt_ref=f"R{i}"))
        with ledger.write() as conn:
            conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (FREE_SPACE_ZEROED,))
        ledger.close()
        path = big / "ledger.sqlite3"
        size_mb = path.stat().st_size / 1e6
        start = time.perf_counter()
        shutil.copyfile(path, root / "copy.sqlite3")
        copy_s = time.perf_counter() - start
        start = time.perf_counter()
        ledger = Ledger.open(big)  # rewrites the file once (VACUUM)
        open_s = time.perf_counter() - start
        assert ledger.verify().ok
        print(f"2. first open after the upgrade ({args.entries:,} entries, {size_mb:.1f} MB): {open_s * 1000:.0f} ms;"
              f" a file copy of it {copy_s * 1000:.0f} ms; ratio {open_s / copy_s:.1f}")
        with ledger.read() as conn:
            row = ledger.get_member(conn, "m7")
        assert row is not None
        state = {"id": "m7", "card_no": row.card_no, "name": "", "phone": None, "tier": row.tier,
                 "consent": True, "created_at": ms_to_iso(row.created_at_ms), "terminal_id": row.terminal_id,
                 "balance": row.points, "member_code": None, "offline_redeem_blocked": False, "merged_into": None,
                 "erased": True}
        start = time.perf_counter()
        LedgerSyncStore(ledger).apply_changes([{"change_id": 1, "type": "member", "member": state}], 1)
        erase_s = time.perf_counter() - start
        start = time.perf_counter()
        LedgerSyncStore(ledger).apply_changes([], 2)
        empty_s = time.perf_counter() - start
        ledger.close()
        con = sqlite3.connect(path)
        assert b"Member 0007" not in path.read_bytes()
        con.close()
        print(f"3. one erasure pulled: {erase_s * 1000:.1f} ms; an empty pull page {empty_s * 1000:.1f} ms")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
