"""Catch-up benchmark: 10,000 entries made offline on one terminal, uploaded to a real server process over
loopback and acknowledged, compared with a bare batched INSERT of the same rows into the same PostgreSQL.

    python bench/bench_sync_catchup.py [--entries 10000] [--batch 1000] [--repeat 3]

Uses $LOYALTY_TEST_PG_URL if set, else starts a throwaway PostgreSQL cluster with production durability
(fsync on, synchronous_commit on). Targets: catch-up <= 5 s and >= 30% of the bare insert rate.

Each round also uploads an outbox of the same size in which half the earns were paid in dollars or yen
(record format 2: currency, amount_minor, fx_rate; the server recomputes their baht equivalent from its rules):
its rate is reported against the rate without currency entries measured in the same run (issue 11: within 20%).

And an outbox of the same size in which a share of the earns (``--voucher-share``, 10% by default) were made with
a points-multiplier voucher (x2: the entry carries ``voucher_id`` and ``points_factor``, which the server checks
against the voucher it issued), each with its voucher use, uploaded as the counter's sync round does after the
entries (``--voucher-commit batch``: ``POST /v1/vouchers/commit-batch``, 200 uses a request; ``single``: one
``/v1/vouchers/commit`` per use, as before the batch existed). Its rate, entries and uses together, is reported
against the rate without vouchers in the same run (issue 11: within 20%).
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
from pos_app.core.currency import to_satang  # noqa: E402
from sync import protocol as p  # noqa: E402
from sync.server.service import utcnow  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402
from tests.sync.server.terminal import Terminal  # noqa: E402

FX_RULES_VERSION = 2
VOUCHER_BATCH = 200
USE_SECONDS: list[float] = []  # of each catch-up with vouchers: the time its voucher uses took
FX_SALES = (("USD", "35.8125", 2), ("JPY", "0.2251", 0))


def publish_fx_rules(url: str) -> None:
    """Rules version 2: the default earning plus dollar and yen rates at every branch (active)."""
    import dataclasses
    from datetime import UTC, datetime

    from pos_app.core.rules import Currencies, FxRate, default_rules
    from sync.server import service as svc
    from sync.server.app import run_tx
    from sync.server.db import make_engine

    since = datetime(2000, 1, 1, tzinfo=UTC)
    bundle = dataclasses.replace(default_rules(FX_RULES_VERSION), currencies=Currencies(
        tuple(FxRate(code, rate, since) for code, rate, _digits in FX_SALES)))
    engine = make_engine(url)
    try:
        run_tx(engine, lambda c: svc.set_rules(c, bundle.to_json(), svc.utcnow()))
    finally:
        engine.dispose()


def issue_multipliers(url: str, count: int) -> list[tuple[str, str]]:
    """``count`` x2 vouchers issued by the server (id, code), as ``loyalty-server voucher batch --multiplier 2``."""
    from datetime import timedelta

    from pos_app.core.vouchers import Benefit
    from sync.server import vouchers as vsvc
    from sync.server.app import run_tx
    from sync.server.config import Settings
    from sync.server.db import make_engine
    from sync.server.demo import DEMO_KEY_PASSPHRASE

    engine = make_engine(url)
    settings = Settings(database_url=url, key_passphrase=DEMO_KEY_PASSPHRASE)
    try:
        _, codes = run_tx(engine, lambda c: vsvc.issue_batch(
            c, settings, campaign="BENCH", count=count, benefit=Benefit("multiplier", 2), now=utcnow(),
            valid_until=utcnow() + timedelta(days=30)))
    finally:
        engine.dispose()
    return list(codes)


def offline_outbox(http: httpx.Client, code: str, entries: int, members: int,
                   seed: int, fx_share: float = 0.0, vouchers: list[tuple[str, str]] | None = None,
                   voucher_share: float = 0.0) -> tuple[dict[str, str], list[dict[str, Any]], list[dict[str, Any]]]:
    """A freshly enrolled terminal whose members are synced, then ``entries`` entries made offline (and the
    voucher uses of the sales made with one of ``vouchers``)."""
    t = Terminal(http)
    assert t.enroll(code).status_code == 200
    people = [t.member() for _ in range(members)]
    t.upload_ok(people + [t.earn(m["member"]["id"], 2_500_000) for m in people])  # members with points, synced
    t.outbox.clear()
    rnd = random.Random(seed)
    uses: list[dict[str, Any]] = []
    for _ in range(entries):  # offline: earns, some small redemptions
        mid = people[rnd.randrange(len(people))]["member"]["id"]
        if rnd.random() < 0.9:
            if vouchers and rnd.random() < voucher_share:  # with an x2 voucher: the points doubled, and its use
                voucher_id, voucher_code = vouchers.pop()
                amount = rnd.randrange(2_500, 300_000)
                sale = t.earn(mid, amount, points=amount // 2500 * 2, offline=True, voucher_id=voucher_id,
                              points_factor=2)
                uses.append({"operation_id": str(uuid.uuid4()), "code": voucher_code, "value_satang": 0,
                             "sale_at": sale["entry"]["sale_at"], "receipt_ref": sale["entry"]["receipt_ref"],
                             "operator_id": "cashier1", "member_id": mid, "offline": True})
            elif rnd.random() < fx_share:  # paid in dollars or yen, with the baht equivalent the counter computed
                currency, rate, digits = FX_SALES[rnd.randrange(len(FX_SALES))]
                minor = rnd.randrange(100, 800_000) if digits == 0 else rnd.randrange(100, 8_000)
                t.earn(mid, to_satang(minor, digits, rate), offline=True, rules_version=FX_RULES_VERSION,
                       currency=currency, amount_minor=minor, fx_rate=rate)
            else:
                t.earn(mid, rnd.randrange(2_500, 300_000), offline=True)
        else:
            t.redeem(mid, rnd.randrange(1, 20), offline=True)
    return t.auth, list(t.outbox), uses


def commit_uses(http: httpx.Client, auth: dict[str, str], uses: list[dict[str, Any]], how: str) -> None:
    """The voucher uses after the entries, as the counter's sync round sends them."""
    if how == "single":
        for use in uses:
            r = http.post("/v1/vouchers/commit", headers=auth, json=use)
            assert r.status_code == 200, r.text
        return
    for i in range(0, len(uses), VOUCHER_BATCH):
        r = http.post("/v1/vouchers/commit-batch", headers=auth, json={"uses": uses[i:i + VOUCHER_BATCH]})
        assert r.status_code == 200, r.text
        assert all(item["error"] is None for item in r.json()["results"]), r.text


def catch_up(http: httpx.Client, auth: dict[str, str], records: list[dict[str, Any]], batch: int,
             uses: list[dict[str, Any]] | None = None, how: str = "batch") -> float:
    start = time.perf_counter()
    ack = 0
    for i in range(0, len(records), batch):
        r = http.post("/v1/upload", headers=auth, json={"batch_id": str(uuid.uuid4()), "records": records[i:i + batch]})
        assert r.status_code == 200, r.text
        ack = r.json()["ack_seq"]
    if uses:
        uses_start = time.perf_counter()
        commit_uses(http, auth, uses, how)
        USE_SECONDS.append(time.perf_counter() - uses_start)
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
    ap.add_argument("--fx-share", type=float, default=0.5, help="share of earns paid in another currency")
    ap.add_argument("--voucher-share", type=float, default=0.1, help="share of earns made with an x2 voucher")
    ap.add_argument("--voucher-commit", choices=("batch", "single"), default="batch",
                    help="how the voucher uses are sent after the entries")
    args = ap.parse_args()

    cluster = bench_cluster()
    server = None
    try:
        url, codes = demo_database(cluster, terminals=args.repeat * 3)
        publish_fx_rules(url)
        issued = issue_multipliers(url, int(args.entries * args.voucher_share * args.repeat) + args.entries)
        server = ServerProcess(url)
        http = httpx.Client(base_url=server.url, timeout=120)
        libpq = url.replace("postgresql+psycopg://", "postgresql://")
        ours: list[float] = []
        bare: list[float] = []
        fx: list[float] = []
        vo: list[float] = []
        used = 0
        for round_no in range(args.repeat):
            auth, records, _ = offline_outbox(http, codes[3 * round_no], args.entries, args.members, seed=round_no)
            fx_auth, fx_records, _ = offline_outbox(http, codes[3 * round_no + 1], args.entries, args.members,
                                                    seed=round_no, fx_share=args.fx_share)
            v_auth, v_records, v_uses = offline_outbox(http, codes[3 * round_no + 2], args.entries, args.members,
                                                       seed=round_no, vouchers=issued,
                                                       voucher_share=args.voucher_share)
            used = len(v_uses)
            bare.append(bare_insert(libpq, records, args.batch, f"bare_entries_{round_no}"))
            runs: list[tuple[list[float], dict[str, str], list[dict[str, Any]], list[dict[str, Any]]]] = [
                (ours, auth, records, []), (fx, fx_auth, fx_records, []), (vo, v_auth, v_records, v_uses)]
            for k in range(3):  # rotate the order: no kind always runs on a warmer server
                into, who, outbox, uses = runs[(round_no + k) % 3]
                into.append(catch_up(http, who, outbox, args.batch, uses, args.voucher_commit))

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
        fx_ratio = best / min(fx)
        print(f"catch-up with currency entries ({args.fx_share:.0%} of earns in USD/JPY, recomputed by the server): "
              f"best {min(fx):.2f} s ({n / min(fx):,.0f} entries/s), median {statistics.median(fx):.2f} s; "
              f"rate vs without: {fx_ratio:.1%} best, {statistics.median(ours) / statistics.median(fx):.1%} median  "
              f"[target >= 80%: {'OK' if fx_ratio >= 0.8 else 'MISSED'}]")
        vo_ratio = best / min(vo)
        print(f"catch-up with vouchers ({args.voucher_share:.0%} of earns with an x2 voucher: {used} entries carry "
              f"it and {used} voucher uses follow, {args.voucher_commit} commits): best {min(vo):.2f} s "
              f"({n / min(vo):,.0f} entries/s), median {statistics.median(vo):.2f} s; without vouchers best "
              f"{best:.2f} s ({n / best:,.0f} entries/s); rate vs without: {vo_ratio:.1%} best, "
              f"{statistics.median(ours) / statistics.median(vo):.1%} median  "
              f"[target >= 80%: {'OK' if vo_ratio >= 0.8 else 'MISSED'}]")
        print(f"  of which the voucher uses: median {statistics.median(USE_SECONDS):.2f} s "
              f"({used / statistics.median(USE_SECONDS):,.0f} uses/s); the entries the rest")
    finally:
        if server is not None:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
