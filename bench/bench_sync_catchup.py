"""Catch-up benchmark: 10,000 entries made offline on one terminal, uploaded to a real server process over
loopback and acknowledged, compared with a bare batched INSERT of the same rows into the same PostgreSQL.

    python bench/bench_sync_catchup.py [--entries 10000] [--batch 1000]

Uses $LOYALTY_TEST_PG_URL if set, else starts a throwaway PostgreSQL cluster with production durability
(fsync on, synchronous_commit on). Targets: catch-up <= 5 s and >= 30% of the bare insert rate.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from sync.server.config import Settings  # noqa: E402
from sync.server.db import make_engine, migrate  # noqa: E402
from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo  # noqa: E402
from sync.server.service import utcnow  # noqa: E402
from tests.pg import PgCluster  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402
from tests.sync.server.terminal import Terminal  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--members", type=int, default=200)
    args = ap.parse_args()

    import os

    cluster = PgCluster(admin_url=os.environ["LOYALTY_TEST_PG_URL"]) if os.environ.get("LOYALTY_TEST_PG_URL") \
        else PgCluster.start(durable=True)
    server = None
    try:
        url = cluster.create_database("loyalty_bench")
        migrate(url)
        engine = make_engine(url)
        settings = Settings(database_url=url, admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                            key_passphrase=DEMO_KEY_PASSPHRASE)
        code = seed_demo(engine, settings, terminals=1).enrollment_codes[0]
        engine.dispose()
        server = ServerProcess(url)
        http = httpx.Client(base_url=server.url, timeout=120)
        t = Terminal(http)
        assert t.enroll(code).status_code == 200
        members = [t.member() for _ in range(args.members)]
        t.upload_ok(members)  # members known before the terminal went offline
        t.outbox.clear()

        rnd = random.Random(7)
        for _ in range(args.entries):  # offline: earns, some small redemptions
            mid = members[rnd.randrange(len(members))]["member"]["id"]
            if rnd.random() < 0.9:
                t.earn(mid, rnd.randrange(2_500, 300_000), offline=True)
            else:
                t.redeem(mid, rnd.randrange(1, 20), offline=True)
        records = list(t.outbox)

        start = time.perf_counter()
        ack = 0
        for i in range(0, len(records), args.batch):
            body = t.upload_ok(records[i:i + args.batch], str(uuid.uuid4()))
            ack = body["ack_seq"]
        catchup_s = time.perf_counter() - start
        assert ack == records[-1]["seq"], (ack, records[-1]["seq"])

        # Bare batched INSERT of the same rows (same columns, same indexes) into the same PostgreSQL.
        from sync import protocol as p

        libpq = url.replace("postgresql+psycopg://", "postgresql://")
        rows = []
        now = utcnow()
        for r in records:
            e = r["entry"]
            body = {k: v for k, v in e.items() if k != "content_hash"}
            rows.append((str(uuid.uuid4()), e["terminal_id"], e["seq"], e["member_id"], e["kind"], e["points"],
                         e["sale_at"], None, e["terminal_id"], p.canonical_json(body).decode(), e["content_hash"],
                         e["seq"], now))
        with psycopg.connect(libpq) as conn:
            conn.execute("CREATE TABLE bare_entries (LIKE entries INCLUDING ALL)")
            conn.commit()
            start = time.perf_counter()
            with conn.cursor() as cur:
                for i in range(0, len(rows), args.batch):
                    cur.executemany(
                        "INSERT INTO bare_entries (id, terminal_id, seq, member_id, kind, points, sale_at, "
                        "reservation_id, origin_terminal_id, payload, content_hash, change_id, received_at) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows[i:i + args.batch])
                    conn.commit()
            bare_s = time.perf_counter() - start

        n = len(records)
        ratio = (n / catchup_s) / (n / bare_s)
        print(f"catch-up: {n} entries in batches of {args.batch}, uploaded + acknowledged in {catchup_s:.2f} s "
              f"({n / catchup_s:,.0f} entries/s)  [target <= 5 s: {'OK' if catchup_s <= 5 else 'MISSED'}]")
        print(f"bare batched INSERT of the same rows: {bare_s:.2f} s ({n / bare_s:,.0f} rows/s)")
        print(f"ratio catch-up / bare rate: {ratio:.0%}  [target >= 30%: {'OK' if ratio >= 0.3 else 'MISSED'}]")
    finally:
        if server is not None:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
