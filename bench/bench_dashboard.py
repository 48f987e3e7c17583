"""The head-office dashboard over a chain-sized ledger: the console page (the real handler, a real server process,
real HTTP, signed in) over ``--entries`` entries, against the same page over ``--baseline`` entries, measured in
the same run with the renders of the two interleaved.

    python bench/bench_dashboard.py [--entries 10000000] [--baseline 10000] [--branches 200] [--days 90]
                                    [--renders 30] [--scan]

Each ledger is a database of its own, generated inside PostgreSQL (generate_series): ``--branches`` branches of 3
terminals, one member per 20 entries, sales spread over ``--days`` days so that every terminal sells in every hour
once the ledger holds more than terminals x hours entries (then the totals hold days x branches x kinds rows, as a
real chain's do). The large one is loaded with the entries
table's indexes dropped and rebuilt afterwards (the same indexes, read from the catalog: the state the server
would have, reached faster). The dashboard's totals are then built by the server's own job
(``summaries.refresh_all``, timed). The page is requested for a 30-day range; p50 and p95 over ``--renders``
renders each. Target: <= 300 ms. ``--scan`` also times the same figures computed by scanning the entries (what a
dashboard without the totals would cost). Uses $LOYALTY_TEST_PG_URL if set, else a throwaway PostgreSQL with
production durability; prints the load average during each phase.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from sqlalchemy import Engine, func, select, text  # noqa: E402

from bench.bench_sync_concurrent import percentile  # noqa: E402
from bench.demo_db import bench_cluster  # noqa: E402
from sync.server import models as m  # noqa: E402
from sync.server import service as svc  # noqa: E402
from sync.server import summaries  # noqa: E402
from sync.server.app import run_tx  # noqa: E402
from sync.server.config import Settings  # noqa: E402
from sync.server.console import auth  # noqa: E402
from sync.server.db import make_engine, migrate  # noqa: E402
from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo  # noqa: E402
from tests.pg import PgCluster  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402

PASSWORD = "dashboard-timing-1"
RANGE = "from=2026-10-31&to=2026-11-29"
CHUNK = 1_000_000


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def generate(engine: Engine, entries: int, branches: int, days: int, bulk: bool) -> None:
    terminals = branches * 3
    members = max(1000, entries // 20)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
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
    dropped: list[str] = []
    if bulk:  # load without the indexes, then build each once: the same end state, several times faster
        with engine.begin() as conn:
            for name, definition in conn.execute(text("""
                    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = 'entries'::regclass AND contype IN ('u')""")):
                conn.execute(text(f'ALTER TABLE entries DROP CONSTRAINT "{name}"'))
                dropped.append(f'ALTER TABLE entries ADD CONSTRAINT "{name}" {definition}')
            for name, definition in conn.execute(text("""
                    SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'entries' AND indexname NOT IN
                    (SELECT conname FROM pg_constraint WHERE conrelid = 'entries'::regclass)""")):
                conn.execute(text(f'DROP INDEX "{name}"'))
                dropped.append(definition)
    for first in range(1, entries + 1, CHUNK):
        last = min(entries, first + CHUNK - 1)
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL synchronous_commit = off"))
            conn.execute(text("""
                INSERT INTO entries (id, terminal_id, seq, member_id, kind, points, sale_at, payload, content_hash,
                                     change_id, received_at, quarantined)
                SELECT 'e' || g, 'T' || (1 + (g / (:d * 24)) % :t), g, 'm' || (1 + g % :n),
                       CASE WHEN g % 10 = 0 THEN 'redeem' WHEN g % 97 = 0 THEN 'expire' ELSE 'earn' END,
                       CASE WHEN g % 10 = 0 THEN -50 WHEN g % 97 = 0 THEN -5 ELSE 1 + g % 40 END,
                       to_char(timestamp '2026-11-29' - (g % (:d * 24)) * interval '1 hour'
                               - (g % 3600) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
                       '{}', md5(g::text) || md5(g::text), 1000000 + g, now(), false
                FROM generate_series(CAST(:a AS bigint), CAST(:z AS bigint)) g"""), {"t": terminals, "n": members, "d": days, "a": first, "z": last})
        if entries >= CHUNK:
            print(f"  generated {last:,} entries ({load()})", flush=True)
    if dropped:
        began = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            for statement in dropped:
                conn.execute(text(statement))
        print(f"  rebuilt {len(dropped)} indexes of entries in {time.perf_counter() - began:.0f} s", flush=True)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE entries"))
        conn.execute(text("ANALYZE members"))


def scan_baseline(engine: Engine) -> float:
    """The dashboard's per-day/branch/kind figures for the 30 days by scanning the entries (what a dashboard
    without the totals has to do)."""
    start = time.perf_counter()
    with engine.connect() as conn:
        hour = func.substr(m.entries.c.sale_at, 1, 13)
        conn.execute(select(hour, m.entries.c.terminal_id, m.entries.c.kind, func.sum(m.entries.c.points))
                     .where(m.entries.c.sale_at >= "2026-10-30T17", m.entries.c.quarantined.is_(False))
                     .group_by(hour, m.entries.c.terminal_id, m.entries.c.kind)).all()
        conn.execute(select(func.sum(m.members.c.balance))).scalar()
    return time.perf_counter() - start


class Ledger:
    """One generated database, its totals built, a server process on it and a signed-in console session."""

    def __init__(self, cluster: PgCluster, entries: int, branches: int, days: int) -> None:
        self.entries = entries
        self.url = cluster.create_database("loyalty_dash")
        migrate(self.url)
        self.engine = make_engine(self.url)
        settings = Settings(database_url=self.url, admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                            key_passphrase=DEMO_KEY_PASSPHRASE)
        seed_demo(self.engine, settings, terminals=0)
        began = time.perf_counter()
        generate(self.engine, entries, branches, days, bulk=entries >= CHUNK)
        print(f"{entries:,} entries generated in {time.perf_counter() - began:.0f} s ({load()})", flush=True)
        began = time.perf_counter()
        built = summaries.refresh_all(self.engine, max_rows=10**12)
        rows = run_tx(self.engine, lambda c: c.execute(select(func.count()).select_from(m.entry_totals)).scalar_one())
        print(f"  totals built by the server's job (summaries.refresh_all): {built.rows:,} entries in "
              f"{time.perf_counter() - began:.1f} s -> {rows:,} rows of totals ({load()})", flush=True)
        run_tx(self.engine, lambda c: auth.add_user(c, "bench", PASSWORD, "admin", svc.utcnow()))
        self.server = ServerProcess(self.url)
        self.http = httpx.Client(base_url=self.server.url, timeout=120)
        page = self.http.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        signed_in = self.http.post("/console/login", data={"csrf": token, "username": "bench", "password": PASSWORD})
        assert signed_in.status_code == 303, signed_in.text[:300]
        self.times: list[float] = []

    def render(self) -> float:
        began = time.perf_counter()
        r = self.http.get(f"/console/dashboard?{RANGE}")
        took = time.perf_counter() - began
        assert r.status_code == 200 and "<svg" in r.text, r.text[:300]
        return took

    def close(self) -> None:
        self.http.close()
        self.server.stop()
        self.engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=10_000_000)
    ap.add_argument("--baseline", type=int, default=10_000, help="entries of the baseline ledger")
    ap.add_argument("--branches", type=int, default=200)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--renders", type=int, default=30)
    ap.add_argument("--scan", action="store_true", help="also time the figures by scanning the entries")
    args = ap.parse_args()
    cluster = bench_cluster()
    if cluster.datadir is not None:  # a cluster of our own: room for the bulk load's WAL between checkpoints
        import psycopg

        with psycopg.connect(cluster.admin_url.replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET max_wal_size = '8GB'")
            conn.execute("SELECT pg_reload_conf()")
    ledgers: list[Ledger] = []
    try:
        ledgers.append(Ledger(cluster, args.baseline, args.branches, args.days))
        ledgers.append(Ledger(cluster, args.entries, args.branches, args.days))
        for ledger in ledgers:
            first = ledger.render()
            print(f"first render over {ledger.entries:,} entries: {first * 1000:.0f} ms")
        before = load()
        for _ in range(args.renders):  # interleaved: the machine's load falls on both alike
            for ledger in ledgers:
                ledger.times.append(ledger.render())
        print(f"{args.renders} renders each, 30-day range, {before} -> {load()}:")
        base_p50 = percentile(ledgers[0].times, 0.5) * 1000
        for ledger in ledgers:
            p50, p95 = percentile(ledger.times, 0.5) * 1000, percentile(ledger.times, 0.95) * 1000
            verdict = f"target <= 300 ms: {'OK' if p95 <= 300 else 'MISSED'}"
            print(f"  dashboard over {ledger.entries:>12,} entries: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, "
                  f"max {max(ledger.times) * 1000:6.1f} ms; p50 / baseline p50 {p50 / base_p50:4.2f}x  [{verdict}]")
        if args.scan:
            scan = scan_baseline(ledgers[-1].engine) * 1000
            print(f"  the same 30 days' figures by scanning the {args.entries:,} entries: {scan:.0f} ms, "
                  f"{scan / (percentile(ledgers[-1].times, 0.5) * 1000):.0f}x the page's p50 ({load()})")
    finally:
        for ledger in ledgers:
            ledger.close()
        cluster.stop()


if __name__ == "__main__":
    main()
