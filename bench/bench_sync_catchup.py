"""Catch-up benchmark: 10,000 entries made offline on one terminal, uploaded to a real server process over
loopback and acknowledged, compared with a bare batched INSERT of the same rows into the same PostgreSQL.

    python bench/bench_sync_catchup.py [--entries 10000] [--batch 1000] [--repeat 3]

Uses $LOYALTY_TEST_PG_URL if set, else starts a throwaway PostgreSQL cluster with production durability
(fsync on, synchronous_commit on). Targets: catch-up <= 5 s and >= 30% of the bare insert rate.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from bench.demo_db import bench_cluster, demo_database  # noqa: E402
from sync import protocol as p  # noqa: E402
from sync.server.service import utcnow  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402
from tests.sync.server.terminal import Terminal  # noqa: E402


def offline_outbox(http: httpx.Client, code: str, entries: int, members: int,
                   seed: int) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """A freshly enrolled terminal whose members are synced, then ``entries`` entries made offline."""
    t = Terminal(http)
    assert t.enroll(code).status_code == 200
    people = [t.member() for _ in range(members)]
    t.upload_ok(people + [t.earn(m["member"]["id"], 2_500_000) for m in people])  # members with points, synced
    t.outbox.clear()
    rnd = random.Random(seed)
    for _ in range(entries):  # offline: earns, some small redemptions
        mid = people[rnd.randrange(len(people))]["member"]["id"]
        if rnd.random() < 0.9:
            t.earn(mid, rnd.randrange(2_500, 300_000), offline=True)
        else:
            t.redeem(mid, rnd.randrange(1, 20), offline=True)
    return t.auth, list(t.outbox)


def catch_up(http: httpx.Client, auth: dict[str, str], records: list[dict[str, Any]], batch: int) -> float:
    start = time.perf_counter()
    ack = 0
    for i in range(0, len(records), batch):
        r = http.post("/v1/upload", headers=auth, json={"batch_id": str(uuid.uuid4()), "records": records[i:i + batch]})
        assert r.status_code == 200, r.text
        ack = r.json()["ack_seq"]
    elapsed = time.perf_counter() - start
    assert ack == records[-1]["seq"], (ack, records[-1]["seq"])
    return elapsed


def bare_insert(libpq: str, records: list[dict[str, Any]], batch: int, table: str) -> float:
    """Bare batched INSERT of the same rows (same columns, same indexes) into the same PostgreSQL."""
    now = utcnow()
    rows = []
    for r in records:
        e = r["entry"]
        body = {k: v for k, v in e.items() if k != "content_hash"}
        rows.append((str(uuid.uuid4()), e["terminal_id"], e["seq"], e["member_id"], e["kind"], e["points"],
                     e["sale_at"], None, e["terminal_id"], p.canonical_json(body), e["content_hash"],
                     e["seq"], now))
    with psycopg.connect(libpq) as conn:
        conn.execute(f"CREATE TABLE {table} (LIKE entries INCLUDING ALL)")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur:
            for i in range(0, len(rows), batch):
                cur.executemany(
                    f"INSERT INTO {table} (id, terminal_id, seq, member_id, kind, points, sale_at, "  # noqa: S608
                    "reservation_id, origin_terminal_id, payload, content_hash, change_id, received_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows[i:i + batch])
                conn.commit()
        return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the best and the median are reported")
    args = ap.parse_args()

    cluster = bench_cluster()
    server = None
    try:
        url, codes = demo_database(cluster, terminals=args.repeat)
        server = ServerProcess(url)
        http = httpx.Client(base_url=server.url, timeout=120)
        libpq = url.replace("postgresql+psycopg://", "postgresql://")
        ours: list[float] = []
        bare: list[float] = []
        for round_no, code in enumerate(codes):
            auth, records = offline_outbox(http, code, args.entries, args.members, seed=round_no)
            bare.append(bare_insert(libpq, records, args.batch, f"bare_entries_{round_no}"))
            ours.append(catch_up(http, auth, records, args.batch))

        n = args.entries
        best, best_bare = min(ours), min(bare)
        ratio = (n / best) / (n / best_bare)
        print(f"{args.repeat} rounds, each: {n} offline entries from one terminal, batches of {args.batch}")
        print(f"catch-up (upload + ack over HTTP, 1 server process): best {best:.2f} s ({n / best:,.0f} entries/s), "
              f"median {statistics.median(ours):.2f} s  [target <= 5 s: {'OK' if best <= 5 else 'MISSED'}]")
        print(f"bare batched INSERT of the same rows, same PostgreSQL: best {best_bare:.2f} s "
              f"({n / best_bare:,.0f} rows/s), median {statistics.median(bare):.2f} s")
        print(f"ratio catch-up / bare rate (best vs best): {ratio:.1%}  [target >= 30%: "
              f"{'OK' if ratio >= 0.3 else 'MISSED'}]; median vs median: "
              f"{statistics.median(bare) / statistics.median(ours):.1%}")
    finally:
        if server is not None:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
