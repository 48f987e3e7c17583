"""The central server under a chain's load: terminals as separate processes, real HTTP, real PostgreSQL.

    python bench/bench_sync_load.py [--servers 2] [--burst 20] [--backlog 40] [--steady 200] [--interval 30]
                                    [--duration 90] [--saturate 8] [--saturate-seconds 20] [--only burst,steady,...]

A sync cycle is what a terminal does each time: upload what it recorded (one batch) and pull what changed
centrally until the feed is empty. Scenarios, each on the same database and server processes:

* baseline: one terminal alone, back to back (the ratio below is against it, measured in the same run);
* burst: the network comes back after an outage: ``--burst`` terminals each holding ``--backlog`` sales start
  their cycle at the same instant (target p99 <= 250 ms on this 2-core machine);
* steady: ``--steady`` terminals syncing every ``--interval`` s (each at a random phase), a few sales per cycle,
  for ``--duration`` s (target p99 <= 100 ms, 0 errors);
* saturate: ``--saturate`` terminals cycling back to back for ``--saturate-seconds``: sync cycles per second, per
  server core, and where the CPU went (server processes, PostgreSQL, the load generator itself).

Terminals are spread over worker processes (each terminal has its own connection and thread): counters are
separate machines, and one Python process per terminal would spend this machine's two cores on the load
generator. Uses $LOYALTY_TEST_PG_URL if set, else a throwaway PostgreSQL with production durability.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench.bench_sync_concurrent import percentile as concurrent_percentile  # noqa: E402
from bench.demo_db import bench_cluster, demo_database  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402
from tests.sync.server.terminal import Terminal  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return concurrent_percentile(values, q) if values else float("nan")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])  # own + waited children
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def postgres_pids() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


def descendants(pid: int) -> list[int]:
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.extend(descendants(int(entry.name)))
    return found


def _cycle(t: Terminal, rnd: random.Random, members: list[str], sales: int) -> None:
    batch = [t.earn(rnd.choice(members), rnd.randrange(2_500, 300_000), offline=False) for _ in range(sales)]
    if batch:
        r = t.upload(batch)
        if r.status_code != 200 or r.json()["ack_seq"] != batch[-1]["seq"]:
            raise RuntimeError(f"upload {r.status_code} {r.text[:200]}")
    t.pull_all()


def _worker(plan: list[dict[str, Any]], members: list[str], mode: str, params: dict[str, Any],
            barrier: Any, results: Any) -> None:
    """Runs its share of terminals, one thread each; puts (latencies, errors) on ``results``."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    terminals = []
    for spec in plan:
        t = Terminal(httpx.Client(base_url=spec["url"], timeout=60))
        t.terminal_id, t.secret, t.seq, t.cursor = spec["id"], spec["secret"], spec["seq"], spec["cursor"]
        t.http.get("/v1/hello")
        terminals.append((t, random.Random(spec["seed"]), members[spec["slice"]::spec["of"]]))
    barrier.wait()
    start = time.monotonic()

    def run(t: Terminal, rnd: random.Random, own: list[str]) -> None:
        def one(sales: int) -> None:
            began = time.perf_counter()
            try:
                _cycle(t, rnd, own, sales)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{t.terminal_id}: {exc!r}"[:300])
            with lock:
                latencies.append(time.perf_counter() - began)

        if mode == "burst":
            one(params["backlog"])
        elif mode == "steady":
            interval, end = params["interval"], start + params["duration"]
            next_at = start + rnd.uniform(0, interval)
            while True:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                if time.monotonic() >= end:
                    return
                one(rnd.randint(0, 4))
                next_at += interval
        else:  # saturate: back to back
            end = start + params["seconds"]
            while time.monotonic() < end:
                one(rnd.randint(1, 4))

    threads = [threading.Thread(target=run, args=item) for item in terminals]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    results.put((latencies, errors, time.monotonic() - start))


def run_mode(specs: list[dict[str, Any]], members: list[str], mode: str, params: dict[str, Any],
             processes: int) -> tuple[list[float], list[str], float]:
    ctx = mp.get_context("fork")
    processes = max(1, min(processes, len(specs)))
    barrier = ctx.Barrier(processes + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(specs[i::processes], members, mode, params, barrier, results))
             for i in range(processes)]
    for proc in procs:
        proc.start()
    barrier.wait()
    latencies: list[float] = []
    errors: list[str] = []
    wall = 0.0
    for _ in procs:
        lat, err, elapsed = results.get(timeout=3600)
        latencies.extend(lat)
        errors.extend(err)
        wall = max(wall, elapsed)
    for proc in procs:
        proc.join()
    return latencies, errors, wall


def report(name: str, lat: list[float], errors: list[str], wall: float, base_p50: float | None,
           target_p99_ms: float | None) -> None:
    p50, p99 = percentile(lat, 0.5) * 1000, percentile(lat, 0.99) * 1000
    line = (f"{name:9s} {len(lat):6d} cycles in {wall:6.1f} s ({len(lat) / max(wall, 1e-9):7.1f}/s): "
            f"p50 {p50:7.1f} ms, p99 {p99:7.1f} ms, max {max(lat, default=0) * 1000:7.1f} ms, errors {len(errors)}")
    if base_p50:
        line += f"; p99 / baseline p50 {p99 / base_p50:5.1f}x"
    if target_p99_ms is not None:
        ok = p99 <= target_p99_ms and not errors
        line += f"  [target p99 <= {target_p99_ms:.0f} ms, 0 errors: {'OK' if ok else 'MISSED'}]"
    print(line, flush=True)
    if errors:
        print(f"          first error: {errors[0]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=2, help="server processes (stateless, one PostgreSQL)")
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--backlog", type=int, default=40, help="sales each terminal recorded during the outage")
    ap.add_argument("--steady", type=int, default=200)
    ap.add_argument("--interval", type=float, default=30.0)
    ap.add_argument("--duration", type=float, default=90.0)
    ap.add_argument("--saturate", type=int, default=8)
    ap.add_argument("--saturate-seconds", type=float, default=20.0)
    ap.add_argument("--processes", type=int, default=8, help="load-generator processes")
    ap.add_argument("--only", default="baseline,burst,steady,saturate")
    args = ap.parse_args()
    modes = set(args.only.split(","))

    total = 2 + args.burst + args.steady + args.saturate  # each scenario has terminals of its own
    cluster = bench_cluster()
    servers: list[ServerProcess] = []
    try:
        url, codes = demo_database(cluster, terminals=total)
        servers = [ServerProcess(url) for _ in range(args.servers)]
        clients = [httpx.Client(base_url=s.url, timeout=60) for s in servers]
        terminals = []
        for i, code in enumerate(codes):
            t = Terminal(clients[i % len(clients)])
            assert t.enroll(code).status_code == 200
            terminals.append(t)
        seeder = terminals.pop()
        member_records = [seeder.member() for _ in range(2_000)]
        for i in range(0, len(member_records), 500):
            seeder.upload_ok(member_records[i:i + 500])
        members = [r["member"]["id"] for r in member_records]
        for t in terminals:
            t.pull_all()

        def specs(ts: list[Terminal], seed: int) -> list[dict[str, Any]]:
            out = [{"url": servers[i % len(servers)].url, "id": t.terminal_id, "secret": t.secret, "seq": t.seq,
                    "cursor": t.cursor, "seed": seed * 1_000 + i, "slice": i, "of": len(ts)}
                   for i, t in enumerate(ts)]
            return out

        print(f"{args.servers} server processes on one PostgreSQL; {os.cpu_count()} cores shared by servers, "
              f"database and load generator; {len(members)} members")
        pool = iter(terminals)

        def take(n: int) -> list[Terminal]:
            return [next(pool) for _ in range(n)]

        base_p50 = None
        if "baseline" in modes:
            lat, err, wall = run_mode(specs(take(1), 1), members, "saturate", {"seconds": 8}, 1)
            base_p50 = percentile(lat, 0.5) * 1000
            report("baseline", lat, err, wall, None, None)
        if "burst" in modes:
            lat, err, wall = run_mode(specs(take(args.burst), 2), members, "burst",
                                      {"backlog": args.backlog}, args.processes)
            report(f"burst {args.burst}", lat, err, wall, base_p50, 250)
        if "steady" in modes:
            lat, err, wall = run_mode(specs(take(args.steady), 3), members, "steady",
                                      {"interval": args.interval, "duration": args.duration}, args.processes)
            report(f"steady {args.steady}", lat, err, wall, base_p50, 100)
        if "saturate" in modes:
            server_pids = [pid for s in servers for pid in descendants(s.proc.pid)]
            me = os.getpid()
            before = (cpu_seconds(server_pids), cpu_seconds(postgres_pids()), time.monotonic())
            lat, err, wall = run_mode(specs(take(args.saturate), 4), members, "saturate",
                                      {"seconds": args.saturate_seconds}, min(args.processes, args.saturate))
            server_cpu = cpu_seconds(server_pids) - before[0]
            pg_cpu = cpu_seconds(postgres_pids()) - before[1]  # exited backends: in the postmaster's children
            elapsed = time.monotonic() - before[2]
            report(f"saturate {args.saturate}", lat, err, wall, base_p50, None)
            used = server_cpu + pg_cpu
            rate = len(lat) / max(wall, 1e-9)
            print(f"          CPU over {elapsed:.1f} s: server processes {server_cpu:.1f} s, PostgreSQL {pg_cpu:.1f} s "
                  f"(database share {pg_cpu / max(used, 1e-9):.0%} of server-side CPU); "
                  f"{rate / max(used / elapsed, 1e-9):.0f} sync cycles per second per busy server-side core "
                  f"(load generator pid {me} not counted)")
        for c in clients:
            c.close()
    finally:
        for s in servers:
            s.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
