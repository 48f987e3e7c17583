"""20 terminals syncing at once: upload latency (p50/p99) and errors, against two real server processes on one
PostgreSQL (the production shape: stateless processes behind a load balancer).

    python bench/bench_sync_concurrent.py [--terminals 20] [--rounds 10] [--entries 5] [--servers 2] [--interval 2]

Each terminal runs in its own process (counters are separate machines) and starts at the same moment and runs ``rounds`` sync cycles: record ``entries`` sales, upload them
(one batch), pull changes; the next cycle starts ``interval`` s (+-50%) later (``--interval 0`` = back to back:
a saturation test whose latency is mostly queueing on this 2-core machine). Uses
$LOYALTY_TEST_PG_URL if set, else a throwaway PostgreSQL with production durability.
Targets: no errors, p99 upload <= 250 ms. Also prints a single-terminal baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench.demo_db import bench_cluster, demo_database  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402
from tests.sync.server.terminal import Terminal  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _terminal_loop(i: int, t: Terminal, base_url: str, members: list[str], n_terminals: int, rounds: int,
                   entries: int, seed: int, interval: float, barrier: Any, results: Any) -> None:
    """One counter, in its own process (real counters are separate machines: no shared GIL)."""
    t.http = httpx.Client(base_url=base_url, timeout=30)
    rnd = random.Random(seed + i)
    own = members[i::n_terminals]
    latencies: list[tuple[int, float]] = []
    errors: list[str] = []
    t.http.get("/v1/hello")  # a long-lived client: connection open before the measured cycles
    barrier.wait()
    for round_no in range(rounds):
        batch = [t.earn(rnd.choice(own) if rnd.random() < 0.9 else rnd.choice(members),
                        rnd.randrange(2_500, 300_000), offline=False) for _ in range(entries)]
        start = time.perf_counter()
        try:
            r = t.upload(batch)
            elapsed = time.perf_counter() - start
            if r.status_code != 200 or r.json()["ack_seq"] != batch[-1]["seq"]:
                errors.append(f"{t.terminal_id}: {r.status_code} {r.text[:200]}")
            t.pull_all()
        except httpx.HTTPError as exc:
            elapsed = time.perf_counter() - start
            errors.append(f"{t.terminal_id}: {exc!r}")
        latencies.append((round_no, elapsed))
        time.sleep(rnd.uniform(0.5 * interval, 1.5 * interval))
    results.put((latencies, errors))


def run_terminals(terminals: list[Terminal], base_urls: list[str], members: list[str], rounds: int,
                  entries: int, seed: int, interval: float) -> tuple[list[float], list[float], list[str]]:
    """Each terminal serves its own customers (a slice of ``members``); 1 sale in 10 is for a member of the
    whole chain, so counters do contend for the same members now and then. Returns all upload latencies,
    those of the first cycle (every terminal at the same instant), and errors."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(terminals))
    results = ctx.Queue()
    procs = [ctx.Process(target=_terminal_loop, args=(
        i, t, base_urls[i % len(base_urls)], members, len(terminals), rounds, entries, seed, interval, barrier,
        results)) for i, t in enumerate(terminals)]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    first: list[float] = []
    errors: list[str] = []
    for _ in procs:
        lat, err = results.get(timeout=600)
        latencies.extend(x for _, x in lat)
        first.extend(x for r, x in lat if r == 0)
        errors.extend(err)
    for proc in procs:
        proc.join()
    return latencies, first, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--terminals", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--entries", type=int, default=5)
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--interval", type=float, default=2.0,
                    help="mean seconds between one terminal's sync cycles (0 = back to back, a saturation test)")
    args = ap.parse_args()

    cluster = bench_cluster()
    servers: list[ServerProcess] = []
    try:
        url, codes = demo_database(cluster, terminals=args.terminals + 1)
        servers = [ServerProcess(url) for _ in range(args.servers)]
        clients = [httpx.Client(base_url=s.url, timeout=30) for s in servers]
        terminals = []
        for i, code in enumerate(codes):
            t = Terminal(clients[i % len(clients)])
            assert t.enroll(code).status_code == 200
            terminals.append(t)
        seeder = terminals.pop()
        member_records = [seeder.member() for _ in range(50 * args.terminals)]
        seeder.upload_ok(member_records)
        members = [r["member"]["id"] for r in member_records]
        for t in terminals:
            t.pull_all()

        urls = [srv.url for srv in servers]
        base_lat, _, base_err = run_terminals([seeder], urls, members, args.rounds, args.entries, 999, args.interval)
        lat, burst, errors = run_terminals(terminals, urls, members, args.rounds, args.entries, 1, args.interval)
        p50, p99 = percentile(lat, 0.50) * 1000, percentile(lat, 0.99) * 1000
        b50, b99 = percentile(base_lat, 0.50) * 1000, percentile(base_lat, 0.99) * 1000
        print(f"{len(terminals)} terminals x {args.rounds} sync cycles (upload {args.entries} entries + pull), "
              f"all starting together, then every {args.interval} s +-50%; {args.servers} server processes:")
        print(f"  upload latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(lat) * 1000:.1f} ms, "
              f"mean {statistics.mean(lat) * 1000:.1f} ms over {len(lat)} uploads")
        later = sorted(lat)
        for value in burst:
            later.remove(value)
        print(f"  first cycle (all {len(terminals)} at the same instant): p50 {percentile(burst, 0.5) * 1000:.1f} ms, "
              f"max {max(burst) * 1000:.1f} ms; later cycles: p50 {percentile(later, 0.5) * 1000:.1f} ms, "
              f"p99 {percentile(later, 0.99) * 1000:.1f} ms")
        print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
        print(f"  single terminal baseline (same run): p50 {b50:.1f} ms, p99 {b99:.1f} ms, errors {len(base_err)}")
        print(f"  ratio p99 under load / single-terminal p99: {p99 / b99:.1f}x")
        print(f"  targets: no errors [{'OK' if not errors else 'MISSED'}], p99 <= 250 ms "
              f"[{'OK' if p99 <= 250 else 'MISSED'}]")
        for c in clients:
            c.close()
    finally:
        for s in servers:
            s.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
