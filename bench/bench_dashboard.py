"""The head-office dashboard over a chain-sized ledger: the page served from the kept totals, against the same
figures computed by scanning the entries (the baseline, measured in the same run on the same data).

    python bench/bench_dashboard.py [--entries 10000000] [--branches 200] [--days 90] [--repeat 7]

Entries are generated inside PostgreSQL (generate_series): members, terminals of ``--branches`` branches, sales
spread over ``--days`` days. Then ``loyalty-server summaries`` builds the totals once (timed), and the
dashboard page (a real HTTP request through the app, signed in) is timed for a 30-day range. Target: <= 300 ms.
Uses $LOYALTY_TEST_PG_URL if set, else a throwaway PostgreSQL.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.demo_db import bench_cluster  # noqa: E402
from sync.server import models as m  # noqa: E402
from sync.server import service as svc  # noqa: E402
from sync.server import summaries  # noqa: E402
from sync.server.app import create_app, run_tx  # noqa: E402
from sync.server.config import Settings  # noqa: E402
from sync.server.console import auth  # noqa: E402
from sync.server.db import make_engine, migrate  # noqa: E402
from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo  # noqa: E402

PASSWORD = "dashboard-timing-1"


def generate(engine, entries: int, branches: int, days: int) -> None:  # type: ignore[no-untyped-def]
    terminals = branches * 3
    members = max(1000, entries // 20)
    with engine.begin() as conn:
        conn.execute(text("""
            INSERT INTO branches (id, code, name, created_at)
            SELECT 'b' || g, 'BR' || lpad(g::text, 4, '0'), 'Branch ' || g, now() FROM generate_series(1, :n) g
            ON CONFLICT DO NOTHING"""), {"n": branches})
        conn.execute(text("""
            INSERT INTO terminals (id, branch_id, name, app_version, credential_sha256, credential_expires_at,
                                   applied_seq, enrolled_at, last_seen_at)
            SELECT 'T' || g, 'b' || (1 + g % :b), '', '0.1.0', md5(g::text) || md5(g::text), now() + interval '1 year',
                   0, now(), now()
            FROM generate_series(1, :t) g"""), {"b": branches, "t": terminals})
        conn.execute(text("""
            INSERT INTO members (id, card_no, name, phone, phone_primary, tier, consent, created_at, terminal_id,
                                 balance, offline_blocked, placeholder, change_id)
            SELECT 'm' || g, lpad(g::text, 16, '0'), 'Member ' || g, NULL, false, 'member', true,
                   '2026-01-01T00:00:00.000Z', 'T' || (1 + g % :t), 0, false, false, g
            FROM generate_series(1, :n) g"""), {"n": members, "t": terminals})
    step = 1_000_000
    for first in range(1, entries + 1, step):
        last = min(entries, first + step - 1)
        with engine.begin() as conn:
            conn.execute(text("""
                INSERT INTO entries (id, terminal_id, seq, member_id, kind, points, sale_at, payload, content_hash,
                                     change_id, received_at, quarantined)
                SELECT 'e' || g, 'T' || (1 + g % :t), g, 'm' || (1 + g % :n),
                       CASE WHEN g % 10 = 0 THEN 'redeem' WHEN g % 97 = 0 THEN 'expire' ELSE 'earn' END,
                       CASE WHEN g % 10 = 0 THEN -50 WHEN g % 97 = 0 THEN -5 ELSE 1 + g % 40 END,
                       to_char(timestamp '2026-11-29' - (g % (:d * 24)) * interval '1 hour'
                               - (g % 3600) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
                       '{}', md5(g::text) || md5(g::text), 1000000 + g, now(), false
                FROM generate_series(:a, :z) g"""), {"t": terminals, "n": members, "d": days, "a": first, "z": last})
        print(f"  generated {last:,} entries", flush=True)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE entries"))
        conn.execute(text("ANALYZE members"))


def scan_baseline(engine, days: int) -> float:  # type: ignore[no-untyped-def]
    """The same per-day/branch/kind figures by scanning the entries of the range (what a dashboard without
    totals has to do)."""
    start = time.perf_counter()
    with engine.connect() as conn:
        hour = func.substr(m.entries.c.sale_at, 1, 13)
        conn.execute(select(hour, m.entries.c.terminal_id, m.entries.c.kind, func.sum(m.entries.c.points))
                     .where(m.entries.c.sale_at >= f"2026-{11 if days <= 28 else 10}-01",
                            m.entries.c.quarantined.is_(False))
                     .group_by(hour, m.entries.c.terminal_id, m.entries.c.kind)).all()
        conn.execute(select(func.sum(m.members.c.balance))).scalar()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=10_000_000)
    ap.add_argument("--branches", type=int, default=200)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    cluster = bench_cluster()
    try:
        url = cluster.create_database("loyalty_dash")
        migrate(url)
        engine = make_engine(url)
        settings = Settings(database_url=url, admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                            key_passphrase=DEMO_KEY_PASSPHRASE)
        seed_demo(engine, settings, terminals=0)
        t0 = time.perf_counter()
        generate(engine, args.entries, args.branches, args.days)
        print(f"generated {args.entries:,} entries in {time.perf_counter() - t0:.0f} s")
        t0 = time.perf_counter()
        built = summaries.refresh_all(engine, max_rows=10**12)
        rows = run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.entry_totals)).scalar_one())
        print(f"first build of the totals: {built.rows:,} entries in {time.perf_counter() - t0:.1f} s "
              f"-> {rows:,} rows of totals")
        run_tx(engine, lambda c: auth.add_user(c, "bench", PASSWORD, "admin", svc.utcnow()))
        client = TestClient(create_app(settings, engine))
        page = client.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        client.post("/console/login", data={"csrf": token, "username": "bench", "password": PASSWORD})
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            r = client.get("/console/dashboard?from=2026-10-31&to=2026-11-29")
            times.append(time.perf_counter() - start)
            assert r.status_code == 200 and "<svg" in r.text
        base = [scan_baseline(engine, 30) for _ in range(3)]
        med, worst = statistics.median(times) * 1000, max(times) * 1000
        b = statistics.median(base) * 1000
        print(f"dashboard, 30 days, {args.entries:,} entries: median {med:.0f} ms, max {worst:.0f} ms "
              f"(target <= 300 ms: {'OK' if worst <= 300 else 'MISSED'})")
        print(f"baseline, the same figures by scanning the entries: median {b:.0f} ms; ratio {b / med:.0f}x")
        engine.dispose()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
