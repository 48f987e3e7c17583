"""The central server under a chain's load: terminals as separate processes, real HTTP, real PostgreSQL.

    python bench/bench_sync_load.py [--servers 2] [--burst 20] [--bursts 1] [--backlog 40] [--steady 200]
                                    [--interval 30] [--duration 90] [--saturate 8] [--saturate-seconds 20]
                                    [--only burst,steady,...] [--scope branch|chain] [--round sync|separate]
                                    [--counters 3] [--members 20000] [--roam 0.05] [--history 5] [--pool-size 10]
                                    [--warm-servers 5] [--statements N] [--profile DIR]

The chain's shape: terminals belong to branches of ``--counters`` counters; each of the ``--members`` members has a
home branch (enrolled there) and shops there (each counter of a branch at its own share of them, as counters serve
different customers at a time), except ``--roam`` of the sales (5%), made to any member of the chain
(which links that member to the selling branch, as at a real counter). ``--scope`` is the feed the terminals pull:
``branch`` (the default: what the chain runs, ``GET /v1/changes?scope=branch``) or ``chain`` (the full feed, every
terminal mirrors every member). Each scenario reports the changes pulled per cycle.

A sync cycle is what a counter (``sync.client``) does each round: upload what it recorded since its last round
(one batch), pull what changed centrally until the feed is empty, report its health (heartbeat) and fetch its
branch's open flags. ``--round sync`` (the default, protocol 1.3): one ``POST /v1/sync`` carrying all of it, then
``GET /v1/changes`` only for further pages; ``--round separate``: the four requests of a 1.2 counter (upload,
changes, flags, heartbeat). What a counter recorded before its round is in its ledger already, so the records
are built before the cycle's clock starts. Scenarios, each on the same database and server processes:

* baseline: one terminal alone, back to back (the ratio below is against it, measured in the same run);
* burst: the network comes back after an outage: ``--burst`` terminals each holding ``--backlog`` sales start
  their cycle at the same instant, each uploading its backlog and pulling what the others uploaded meanwhile
  (target p99 <= 250 ms on this 2-core machine);
* steady: ``--steady`` terminals syncing every ``--interval`` s (each at a random phase), a few sales per cycle,
  for ``--duration`` s (target p99 <= 100 ms, 0 errors); first cycles and later ones are reported apart;
* saturate: ``--saturate`` terminals cycling back to back for ``--saturate-seconds``: sync cycles per second, per
  server core, and where the CPU went (server processes, PostgreSQL, the load generator itself).

Burst, steady and saturating terminals are warm, as a chain's counters are: before the measured window each pulls to
the head of the feed (where its last sync would have left it) and reports its health once, so a first cycle does not
pull everything the earlier scenarios of this run wrote (``--cold``: the old start, which made the steady state's first cycles pull about
2,700 changes each and took its p99 to seconds). The servers send ``Server-Timing`` (``LOYALTY_SERVER_TIMING``),
and each scenario prints where a cycle's time went (median and slowest 1%: credential check, upload, changes,
waiting for a pooled connection, outside the server) and what PostgreSQL logged meanwhile (statements over
``--slow-ms``, lock waits, checkpoints).

The server holds a history, as a chain's does: ``--history`` (5) earlier sales per member before the scenarios
(100,000 entries with the default members). With an empty ledger (``--history 0``, every figure before
2026-11-30 evening) the entries table was a few thousand rows, and the plans PostgreSQL keeps for a warm
connection read it whole where a chain's table is read by index (pg_stat_user_tables: 103 sequential scans of
entries in 8 bursts, about 3,400 rows a round tested against a list of ids; PostgreSQL's CPU per round was 9-10
ms instead of 5.2-6.4, 8 runs).

The servers are warm, as a chain's server is when an outage ends: before the first scenario ``--burst`` terminals
make back-to-back rounds for ``--warm-servers`` seconds (5; not measured), so every pooled connection has run the
sync path's statements past psycopg's prepare threshold (its first 5 runs are parsed each time) and PostgreSQL's
first custom plans (5 more, each planned for its parameters). A burst spread over 20 fresh connections never gets
there, and its rounds paid for parsing and planning that a running server does not (``--warm-servers 0``: fresh
servers, as every figure before 2026-11-30 evening). ``--statements N`` prints the bursts' N costliest statements
from ``pg_stat_statements`` (calls, execution and planning time per cycle), read inside the measured windows only.

Terminals are spread over worker processes (each terminal has its own connection and thread): counters are
separate machines, and one Python process per terminal would spend this machine's two cores on the load
generator. Uses $LOYALTY_TEST_PG_URL if set, else a throwaway PostgreSQL with production durability.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import signal
import subprocess
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
from sync.server.config import Settings  # noqa: E402
from tests.pg import PgCluster  # noqa: E402
from tests.sync.server.conftest import ServerProcess  # noqa: E402
from tests.sync.server.terminal import Terminal, now_iso  # noqa: E402

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


def machine_ticks() -> tuple[int, int]:
    """(all, idle + iowait) clock ticks of the machine's cores so far (/proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]


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


def _timing(response: httpx.Response, into: dict[str, float]) -> None:
    """Adds the server's ``Server-Timing`` phases (ms) of one response to ``into``."""
    for part in response.headers.get("server-timing", "").split(","):
        name, _, value = part.strip().partition(";dur=")
        if value:
            into[name] = into.get(name, 0.0) + float(value)


def _sales(t: Terminal, rnd: random.Random, members: tuple[list[str], list[str], float],
           sales: int) -> list[dict[str, Any]]:
    """``sales`` earns recorded at ``t``. ``members``: the branch's own members, everyone's, and the share of sales
    made to a member from elsewhere."""
    home, everyone, roam = members
    return [t.earn(rnd.choice(everyone if rnd.random() < roam or not home else home),
                   rnd.randrange(2_500, 300_000), offline=False) for _ in range(sales)]


def _heartbeat(t: Terminal, waiting: int) -> dict[str, Any]:
    """What a counter reports with each round (``sync.client``): a few fields, all of them set."""
    return {"app_version": "1.0.0", "records_waiting": waiting, "last_sync_ok": now_iso(), "clock_offset_ms": 12,
            "printer": "ok", "camera": "ok", "free_disk_mb": 40_000, "last_backup": now_iso(), "doctor": "ok",
            "doctor_at": now_iso()}


def _check(r: httpx.Response, what: str, phases: dict[str, float]) -> dict[str, Any]:
    phases["requests"] += 1
    _timing(r, phases)
    if r.status_code != 200:
        raise RuntimeError(f"{what} {r.status_code} {r.text[:200]}")
    return r.json()


def _cycle(t: Terminal, batch: list[dict[str, Any]], round_kind: str) -> dict[str, float]:
    """One sync round as a counter makes it: what it recorded (if anything) uploaded, the feed pulled until empty,
    its health reported and its branch's flags fetched. ``round_kind``: ``sync`` (protocol 1.3: one ``POST
    /v1/sync``, then ``GET /v1/changes`` only for further pages) or ``separate`` (a 1.2 counter: upload, changes,
    flags, heartbeat, four requests). Returns the server's phases summed over the round's requests, plus
    ``requests`` and ``changes_pulled``."""
    phases: dict[str, float] = {"requests": 0, "changes_pulled": 0}
    if round_kind == "sync":
        body = _check(t.sync(batch or None, heartbeat=_heartbeat(t, 0)), "sync", phases)
        if batch and body["upload"]["ack_seq"] != batch[-1]["seq"]:
            raise RuntimeError(f"sync acknowledged {body['upload']['ack_seq']}, not {batch[-1]['seq']}")
        page = body["changes"]
        phases["changes_pulled"] += len(page["changes"])
        if not page["has_more"]:
            return phases
    elif batch:
        body = _check(t.upload(batch), "upload", phases)
        if body["ack_seq"] != batch[-1]["seq"]:
            raise RuntimeError(f"upload acknowledged {body['ack_seq']}, not {batch[-1]['seq']}")
    while True:
        params: dict[str, Any] = {"cursor": t.cursor, "limit": 500}
        if t.scope:
            params["scope"] = t.scope
        page = _check(t.http.get("/v1/changes", headers=t.auth, params=params), "changes", phases)
        phases["changes_pulled"] += len(page["changes"])
        t.cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    if round_kind == "separate":
        _check(t.http.get("/v1/flags", headers=t.auth), "flags", phases)
        _check(t.http.post("/v1/heartbeat", headers=t.auth, json=_heartbeat(t, 0)), "heartbeat", phases)
    return phases


Sample = tuple[float, bool, float, dict[str, float]]
"""(latency s, first cycle of its terminal, start later than scheduled s, server phases ms)."""


def _worker(plan: list[dict[str, Any]], members: list[str], mode: str, params: dict[str, Any],
            barrier: Any, results: Any) -> None:
    """Runs its share of terminals, one thread each; puts (samples, errors, wall, cpu s) on ``results``."""
    samples: list[Sample] = []
    errors: list[str] = []
    lock = threading.Lock()
    terminals = []
    for spec in plan:
        t = Terminal(httpx.Client(base_url=spec["url"], timeout=60), scope=spec["scope"])
        t.terminal_id, t.secret, t.seq, t.cursor = spec["id"], spec["secret"], spec["seq"], spec["cursor"]
        t.http.get("/v1/hello")
        if params.get("warm"):  # a chain's counters are warm: their cursor is where their last sync left it,
            t.pull_all()  # and head office holds the health they reported then
            t.http.post("/v1/heartbeat", headers=t.auth, json=_heartbeat(t, 0)).raise_for_status()
        rnd, own = random.Random(spec["seed"]), (spec["home"], members, spec["roam"])
        # the outage's backlog is in the counter's ledger before the network comes back: recorded, not timed
        backlog = _sales(t, rnd, own, params["backlog"]) if mode == "burst" else []
        terminals.append((t, rnd, own, backlog))
    barrier.wait()
    start = time.monotonic()
    cpu0 = time.process_time()

    def run(t: Terminal, rnd: random.Random, own: tuple[list[str], list[str], float],
            backlog: list[dict[str, Any]]) -> None:
        first = True

        def one(sales: int, late: float) -> None:
            nonlocal first
            # what the counter recorded since its last sync is in its ledger before the cycle starts: not timed
            batch = backlog if mode == "burst" else _sales(t, rnd, own, sales)
            began = time.perf_counter()
            phases: dict[str, float] = {}
            try:
                phases = _cycle(t, batch, params["round"])
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{t.terminal_id}: {exc!r}"[:300])
            with lock:
                samples.append((time.perf_counter() - began, first, late, phases))
            first = False

        if mode == "burst":
            one(params["backlog"], 0.0)
        elif mode == "steady":
            interval, end = params["interval"], start + params["duration"]
            next_at = start + rnd.uniform(0, interval)
            while True:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                now = time.monotonic()
                if now >= end:
                    return
                one(rnd.randint(0, 4), now - next_at)
                next_at += interval
        else:  # saturate: back to back
            end = start + params["seconds"]
            while time.monotonic() < end:
                one(rnd.randint(1, 4), 0.0)

    threads = [threading.Thread(target=run, args=item) for item in terminals]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    results.put((samples, errors, time.monotonic() - start, time.process_time() - cpu0))


def run_mode(specs: list[dict[str, Any]], members: list[str], mode: str, params: dict[str, Any],
             processes: int, probe: Any = None) -> tuple[list[Sample], list[str], float, float]:
    """Returns (samples, errors, wall s, the load generator's CPU s). ``probe``: called when the measured window
    opens (every terminal set up) and when its last cycle has finished."""
    ctx = mp.get_context("fork")
    processes = max(1, min(processes, len(specs)))
    barrier = ctx.Barrier(processes + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(specs[i::processes], members, mode, params, barrier, results))
             for i in range(processes)]
    for proc in procs:
        proc.start()
    barrier.wait()
    if probe is not None:
        probe()
    samples: list[Sample] = []
    errors: list[str] = []
    wall = cpu = 0.0
    for _ in procs:
        got, err, elapsed, used = results.get(timeout=3600)
        samples.extend(got)
        errors.extend(err)
        wall = max(wall, elapsed)
        cpu += used
    if probe is not None:
        probe()
    for proc in procs:
        proc.join()
    return samples, errors, wall, cpu


def report(name: str, samples: list[Sample], errors: list[str], wall: float, base_p50: float | None,
           target_p99_ms: float | None) -> None:
    lat = [s[0] for s in samples]
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
    pulled = sorted(s[3].get("changes_pulled", 0) for s in samples if s[3])
    if pulled:
        print(f"          changes pulled per cycle: mean {sum(pulled) / len(pulled):.0f}, p50 "
              f"{pulled[len(pulled) // 2]:.0f}, max {pulled[-1]:.0f}")


def breakdown(samples: list[Sample], split_first: bool) -> None:
    """Where a cycle's time went, at the median and in the slowest 1%: the server's phases (``Server-Timing``:
    credential check, upload transaction, changes transactions, waiting for a pooled connection, the whole request
    inside the server) against what the terminal saw; the rest is the network, the server's event loop and
    thread pool queues, and the load generator itself (``late``: a cycle started after its scheduled time)."""
    groups = [("all", samples)]
    if split_first:
        groups = [("first", [s for s in samples if s[1]]), ("later", [s for s in samples if not s[1]])]
    for label, group in groups:
        if not group:
            continue
        group = sorted(group, key=lambda s: s[0])
        tail = group[max(0, int(len(group) * 0.99) - 1):]
        for which, rows in (("median", [group[len(group) // 2]]), ("slowest 1%", tail)):
            def mean(key: str, rows: list[Sample] = rows) -> float:
                return sum(r[3].get(key, 0.0) for r in rows) / len(rows)
            cycle = sum(r[0] for r in rows) / len(rows) * 1000
            outside = cycle - mean("app")
            late = max(r[2] for r in rows) * 1000
            print(f"          {label:5s} ({len(group):4d} cycles) {which:10s}: cycle {cycle:7.1f} ms = server "
                  f"{mean('app'):6.1f} (auth {mean('auth'):5.1f}, upload {mean('upload'):5.1f}, changes "
                  f"{mean('changes'):6.1f}, pool wait {mean('pool'):5.1f}) + outside the server {outside:6.1f}; "
                  f"{mean('requests'):.1f} requests, {mean('changes_pulled'):.0f} changes; "
                  f"start late <= {late:.0f} ms")


class PgLog:
    """Slow statements, lock waits and checkpoints from the log of a cluster the bench started (nothing when
    $LOYALTY_TEST_PG_URL points at a server of its own)."""

    def __init__(self, cluster: PgCluster, slow_ms: int) -> None:
        self.path = cluster.datadir.parent / "log" if cluster.datadir is not None else None
        if self.path is None:
            return
        import psycopg

        with psycopg.connect(cluster.admin_url.replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as conn:
            for setting, value in (("log_min_duration_statement", f"{slow_ms}ms"), ("log_lock_waits", "on"),
                                   ("log_checkpoints", "on"), ("deadlock_timeout", "50ms")):
                conn.execute(f"ALTER SYSTEM SET {setting} = '{value}'")
            conn.execute("SELECT pg_reload_conf()")

    def mark(self) -> int:
        return self.path.stat().st_size if self.path is not None else 0

    def summary(self, mark: int) -> None:
        if self.path is None:
            return
        with self.path.open("rb") as f:
            f.seek(mark)
            lines = f.read().decode("utf-8", "replace").splitlines()
        slow = [ln for ln in lines if "duration:" in ln]
        waits = [ln for ln in lines if "still waiting for" in ln or "acquired" in ln and "after" in ln]
        checkpoints = [ln for ln in lines if "checkpoint complete" in ln or "checkpoint starting" in ln]
        print(f"          PostgreSQL: {len(slow)} statements over the slow threshold, {len(waits)} lock waits "
              f"logged, {len(checkpoints)} checkpoint lines")
        for ln in (slow[:3] + waits[:3] + checkpoints[:2]):
            print(f"            {ln[:260]}")


class Statements:
    """What PostgreSQL ran inside the measured windows, from ``pg_stat_statements``: snapshots at each window's
    start and end, summed over the windows (``--statements N``)."""

    SQL = ("SELECT queryid, query, calls, total_exec_time, total_plan_time, rows FROM pg_stat_statements "
           "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")

    def __init__(self, conn: Any) -> None:
        """``conn``: an autocommit psycopg connection to the bench database, kept open (a new one per snapshot
        would be a backend started and ended inside the measured window, in PostgreSQL's CPU)."""
        self.conn = conn
        self.start: dict[int, tuple[Any, ...]] = {}
        self.sum: dict[int, list[Any]] = {}

    def _snapshot(self) -> dict[int, tuple[Any, ...]]:
        return {row[0]: row[1:] for row in self.conn.execute(self.SQL)}

    def mark(self, start: bool) -> None:
        now = self._snapshot()
        if start:
            self.start = now
            return
        for qid, (query, *figures) in now.items():
            before = self.start.get(qid, (query, 0, 0.0, 0.0, 0))[1:]
            diff = [a - b for a, b in zip(figures, before, strict=True)]
            if diff[0] > 0:
                acc = self.sum.setdefault(qid, [query, 0, 0.0, 0.0, 0])
                acc[1:] = [a + d for a, d in zip(acc[1:], diff, strict=True)]

    def report(self, top: int, cycles: int) -> None:
        rows = sorted(self.sum.values(), key=lambda r: -(r[2] + r[3]))
        calls = sum(r[1] for r in rows)
        print(f"          statements per cycle: {calls / cycles:.1f} ({len(rows)} different); the costliest "
              f"by time (execution + planning, which includes waiting for a core or a lock):")
        for query, n, exec_ms, plan_ms, nrows in rows[:top]:
            text = " ".join(query.split())
            print(f"            {n / cycles:5.2f}/cycle {exec_ms / cycles:6.2f}+{plan_ms / cycles:4.2f} ms "
                  f"{nrows / max(n, 1):6.1f} rows  {text[:110]}")


def branch_codes(url: str, terminals: int, counters: int) -> list[tuple[str, str]]:
    """Branches of ``counters`` terminals each, and one enrollment code per terminal: [(branch, code)]."""
    from sync.server import service as svc
    from sync.server.app import run_tx
    from sync.server.db import make_engine

    engine = make_engine(url, pool_size=1)
    try:
        out = []
        for i in range(terminals):
            branch = f"LB{i // counters:04d}"
            if i % counters == 0:
                run_tx(engine, lambda c, b=branch: svc.add_branch(c, b, f"Bench branch {b}", svc.utcnow()))
            out.append((branch, run_tx(engine, lambda c, b=branch: svc.issue_enrollment_code(
                c, b, svc.utcnow(), 24))[0]))
        return out
    finally:
        engine.dispose()


def sessions_opened(url: str) -> int:
    """Sessions (connections) opened to the bench database so far (PostgreSQL 14+), not counting this one's."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        row = conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=2, help="server processes (stateless, one PostgreSQL)")
    ap.add_argument("--pool-size", type=int, default=Settings.pool_size,
                    help="LOYALTY_DB_POOL_SIZE of each server process (default: the server's own default)")
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--backlog", type=int, default=40, help="sales each terminal recorded during the outage")
    ap.add_argument("--bursts", type=int, default=1,
                    help="bursts in a row, each of --burst terminals of their own (the p99 is over all their cycles)")
    ap.add_argument("--profile", type=Path, default=None,
                    help="a directory: py-spy samples each server process during the bursts (raw stacks)")
    ap.add_argument("--steady", type=int, default=200)
    ap.add_argument("--interval", type=float, default=30.0)
    ap.add_argument("--duration", type=float, default=90.0)
    ap.add_argument("--saturate", type=int, default=8)
    ap.add_argument("--saturate-seconds", type=float, default=20.0)
    ap.add_argument("--processes", type=int, default=8, help="load-generator processes")
    ap.add_argument("--only", default="baseline,burst,steady,saturate")
    ap.add_argument("--scope", choices=("branch", "chain"), default="branch",
                    help="the feed the terminals pull: their branch's members (the chain's setting) or the full feed")
    ap.add_argument("--round", choices=("sync", "separate"), default="sync",
                    help="a counter's round: one POST /v1/sync (protocol 1.3, sync.client today) or the four "
                         "requests of a 1.2 counter (upload, changes, flags, heartbeat)")
    ap.add_argument("--members", type=int, default=20_000,
                    help="members of the chain, spread over its branches (20,000: a counter's 40-sale backlog is "
                         "sales to about 28 different members, as at a chain's counter; the figures in "
                         "docs/scaling.md before 2026-11-30 15:00 were measured with 2,000, about 5)")
    ap.add_argument("--counters", type=int, default=3, help="terminals per branch")
    ap.add_argument("--roam", type=float, default=0.05, help="share of sales made to a member of another branch")
    ap.add_argument("--history", type=int, default=5,
                    help="earlier sales per member on the server before the scenarios start (5: 100,000 entries "
                         "with the default members; tables of a size the planner treats as a chain's, and a "
                         "roaming member's link brings that history; 0: the empty ledger of the figures before "
                         "2026-11-30 evening)")
    ap.add_argument("--cold", action="store_true",
                    help="burst, steady and saturating terminals start from the cursor they had at set-up (their first cycle "
                         "pulls everything the earlier scenarios wrote) instead of from the head of the feed")
    ap.add_argument("--warm-servers", type=float, default=5.0, metavar="SECONDS",
                    help="back-to-back rounds from --burst terminals before the scenarios, not measured, so the "
                         "servers' pooled connections are warm as a running server's are (0: fresh servers)")
    ap.add_argument("--statements", type=int, default=0, metavar="N",
                    help="the bursts' N costliest statements by pg_stat_statements (calls and time per cycle)")
    ap.add_argument("--slow-ms", type=int, default=100,
                    help="PostgreSQL logs statements slower than this, lock waits and checkpoints (a cluster the "
                         "bench started); a summary per scenario is printed")
    args = ap.parse_args()
    if args.statements < 0 or args.warm_servers < 0 or args.history < 0:
        ap.error("--statements, --warm-servers and --history take 0 or more")
    modes = set(args.only.split(","))

    warm_n = args.burst if args.warm_servers > 0 else 0
    # each scenario has terminals of its own
    total = 2 + args.burst * args.bursts + args.steady + args.saturate + warm_n
    cluster = bench_cluster(preload="pg_stat_statements" if args.statements else "")
    servers: list[ServerProcess] = []
    try:
        url, _ = demo_database(cluster, terminals=0)
        codes = branch_codes(url, total, args.counters)  # [(branch code, enrollment code)], counters in order
        pg_log = PgLog(cluster, args.slow_ms)
        env = {"LOYALTY_SERVER_TIMING": "1"} | ({"LOYALTY_DB_POOL_SIZE": str(args.pool_size)} if args.pool_size else {})
        servers = [ServerProcess(url, env) for _ in range(args.servers)]
        clients = [httpx.Client(base_url=s.url, timeout=60) for s in servers]
        scope = None if args.scope == "chain" else "branch"
        terminals = []
        branch_of: dict[str, str] = {}
        for i, (branch, code) in enumerate(codes):
            t = Terminal(clients[i % len(clients)], scope=scope)
            assert t.enroll(code).status_code == 200
            terminals.append(t)
            branch_of[t.terminal_id] = branch
        # the members, each enrolled at (so linked to) a home branch, spread evenly over the branches. With 2,000
        # (the default before) a branch has 16-26 of them (the branches are as many as the run's terminals need)
        # and a counter's share 5-9, so a 40-sale backlog was sales to 5-9 members; a chain's counter serves
        # hundreds (20,000: about 28 different members in 40 sales; 85,000: about 37), and each member a batch
        # touches is a row locked, updated and sent to the branch's other counters.
        first_of: dict[str, Terminal] = {}
        for t in terminals:
            first_of.setdefault(branch_of[t.terminal_id], t)
        homes = list(first_of)
        home_members: dict[str, list[str]] = {b: [] for b in homes}
        enrolled: dict[str, list[dict[str, Any]]] = {b: [] for b in homes}
        for i in range(args.members):
            branch = homes[i % len(homes)]
            record = first_of[branch].member(phone=f"08{i:08d}")  # distinct: a shared phone raises a flag
            enrolled[branch].append(record)
            home_members[branch].append(record["member"]["id"])
        for branch, records in enrolled.items():
            for i in range(0, len(records), 500):
                first_of[branch].upload_ok(records[i:i + 500])
        members = [mid for b in homes for mid in home_members[b]]
        # The counters of a branch serve different customers at a time: each sells to its own share of the
        # branch's members (a branch has 160-260 with the default 20,000 members; a real one thousands, so two
        # counters' batches rarely meet on a member), except the roaming sales, which go to anyone.
        own_slice: dict[str, list[str]] = {}
        at_branch: dict[str, int] = {}
        for t in terminals:
            branch = branch_of[t.terminal_id]
            k = at_branch[branch] = at_branch.get(branch, -1) + 1
            own_slice[t.terminal_id] = home_members[branch][k::args.counters]
        if args.history:  # the sales members made before: what a chain's server holds, not an empty ledger
            for branch in homes:
                past = [first_of[branch].earn(mid, 10_000 + 100 * k, offline=False)
                        for k in range(args.history) for mid in home_members[branch]]
                for i in range(0, len(past), 500):
                    first_of[branch].upload_ok(past[i:i + 500])
        for t in terminals:
            t.pull_all()
        # a live database's tables are analyzed by autovacuum; the set-up just filled these ones
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute("ANALYZE")
        statements = None
        if args.statements:
            conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            try:  # a cluster of its own ($LOYALTY_TEST_PG_URL) may not preload the module
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                conn.execute("SELECT count(*) FROM pg_stat_statements")
                statements = Statements(conn)
            except psycopg.Error as exc:
                conn.close()
                print(f"--statements ignored: pg_stat_statements is not available in this cluster ({exc})".strip())

        def specs(ts: list[Terminal], seed: int) -> list[dict[str, Any]]:
            out = [{"url": servers[i % len(servers)].url, "id": t.terminal_id, "secret": t.secret, "seq": t.seq,
                    "cursor": t.cursor, "seed": seed * 1_000 + i, "scope": scope,
                    "home": own_slice[t.terminal_id], "roam": args.roam}
                   for i, t in enumerate(ts)]
            return out

        print(f"{args.servers} server processes on one PostgreSQL; {os.cpu_count()} cores shared by servers, "
              f"database and load generator; {len(members)} members in {len(homes)} branches of {args.counters} "
              f"counters; feed scope {args.scope}; {args.roam:.0%} of sales to a member of another branch")
        share = sorted(len(v) for v in own_slice.values())[len(own_slice) // 2]
        print(f"a counter sells to its share of its branch's members: {share} (median), so a backlog of "
              f"{args.backlog} sales is sales to about {share * (1 - (1 - 1 / max(share, 1)) ** args.backlog):.0f} "
              f"different members (and the roaming ones)")
        pool = iter(terminals)

        def take(n: int) -> list[Terminal]:
            return [next(pool) for _ in range(n)]

        if warm_n:
            # A chain's server has run for hours when an outage ends: each pooled connection has run the sync
            # path's statements past psycopg's prepare threshold (5 runs) and PostgreSQL's first custom plans (5
            # more). Fresh server processes have not, and a burst spread over 20 connections never gets there.
            _, warm_err, _, _ = run_mode(specs(take(warm_n), 5), members, "saturate",
                                         {"seconds": args.warm_servers, "warm": not args.cold, "round": args.round},
                                         args.processes)
            print(f"servers warmed: {args.warm_servers:.0f} s of back-to-back rounds from {warm_n} terminals, not "
                  f"measured ({len(warm_err)} errors)")
        base_p50 = None
        if "baseline" in modes:
            load = os.getloadavg()[0]
            lat, err, wall, _ = run_mode(specs(take(1), 1), members, "saturate", {"seconds": 8, "round": args.round}, 1)
            base_p50 = percentile([s[0] for s in lat], 0.5) * 1000
            report("baseline", lat, err, wall, None, None)
            print(f"          load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
            breakdown(lat, False)
        if "burst" in modes:
            load, mark = os.getloadavg()[0], pg_log.mark()
            opened = sessions_opened(url)
            server_pids = [pid for s in servers for pid in descendants(s.proc.pid)]
            spies = [subprocess.Popen(["py-spy", "record", "--pid", str(pid), "--rate", "250", "--gil",
                                       "--format", "raw", "-o", str(args.profile / f"server-{pid}.txt")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for pid in (server_pids if args.profile else [])]
            if spies:
                time.sleep(1.0)
            lat, err = [], []
            cpu = [0.0, 0.0, 0.0]
            busy: list[float] = []
            for i in range(args.bursts):
                marks: list[tuple[float, float, list[int]]] = []

                def probe(marks: list[tuple[float, float, list[int]]] = marks) -> None:
                    # the measured window's statements, not the warm-up's pulls; each snapshot outside the CPU marks
                    start = not marks
                    if statements is not None and start:
                        statements.mark(start=True)
                    marks.append((cpu_seconds(server_pids), cpu_seconds(postgres_pids()), machine_ticks()))
                    if statements is not None and not start:
                        statements.mark(start=False)

                got, errs, wall, gen_cpu = run_mode(
                    specs(take(args.burst), 2 + i * 7), members, "burst",
                    {"backlog": args.backlog, "warm": not args.cold, "round": args.round}, args.processes,
                    probe=probe)
                lat, err = lat + got, err + errs
                used = (marks[1][0] - marks[0][0], marks[1][1] - marks[0][1], gen_cpu)
                cpu = [a + b for a, b in zip(cpu, used, strict=True)]
                ticks = [b - a for a, b in zip(marks[0][2], marks[1][2], strict=True)]
                busy.append(1 - ticks[1] / max(ticks[0], 1))
                if args.bursts > 1:
                    report(f"  burst {i + 1}", got, errs, wall, base_p50, None)
                    print(f"            CPU: server processes {used[0]:.2f} s, PostgreSQL {used[1]:.2f} s, load "
                          f"generator {used[2]:.2f} s")
            for spy in spies:
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=60)
            report(f"burst {args.burst}" + (f" x{args.bursts}" if args.bursts > 1 else ""), lat, err, wall,
                   base_p50, 250)
            print(f"          CPU of a burst (mean, to 10 ms): server processes {cpu[0] / args.bursts:.2f} s, "
                  f"PostgreSQL {cpu[1] / args.bursts:.2f} s, load generator {cpu[2] / args.bursts:.2f} s "
                  f"(the cycles' own threads); the machine's cores busy {sum(busy) / len(busy):.0%} of the burst")
            n = max(len(lat), 1)  # summed over every burst: finer than one burst's 10 ms clock ticks
            print(f"          CPU per cycle: server processes {cpu[0] / n * 1000:.2f} ms, PostgreSQL "
                  f"{cpu[1] / n * 1000:.2f} ms, load generator {cpu[2] / n * 1000:.2f} ms")
            print(f"          load average {load:.1f} -> {os.getloadavg()[0]:.1f}; database connections opened "
                  f"during the bursts: {sessions_opened(url) - opened - 1} (the pools' overflow)")
            breakdown(lat, False)
            pg_log.summary(mark)
            if statements is not None:
                statements.report(args.statements, max(len(lat), 1))
                statements.conn.close()
        if "steady" in modes:
            load, mark = os.getloadavg()[0], pg_log.mark()
            lat, err, wall, cpu = run_mode(specs(take(args.steady), 3), members, "steady",
                                           {"interval": args.interval, "duration": args.duration,
                                            "warm": not args.cold, "round": args.round}, args.processes)
            report(f"steady {args.steady}", lat, err, wall, base_p50, 100)
            print(f"          load average {load:.1f} -> {os.getloadavg()[0]:.1f}; terminals "
                  f"{'cold (cursor from set-up)' if args.cold else 'warm (cursor at the head of the feed)'}; "
                  f"load generator CPU {cpu:.1f} s")
            for label, part in (("first", [x for x in lat if x[1]]), ("later", [x for x in lat if not x[1]])):
                report(f"  {label}", part, [], wall, base_p50, None)
            breakdown(lat, True)
            pg_log.summary(mark)
        if "saturate" in modes:
            server_pids = [pid for s in servers for pid in descendants(s.proc.pid)]
            me = os.getpid()
            before = (cpu_seconds(server_pids), cpu_seconds(postgres_pids()), time.monotonic())
            load = os.getloadavg()[0]
            lat, err, wall, _ = run_mode(specs(take(args.saturate), 4), members, "saturate",
                                         {"seconds": args.saturate_seconds, "warm": not args.cold, "round": args.round},
                                         min(args.processes, args.saturate))
            server_cpu = cpu_seconds(server_pids) - before[0]
            pg_cpu = cpu_seconds(postgres_pids()) - before[1]  # exited backends: in the postmaster's children
            elapsed = time.monotonic() - before[2]
            report(f"saturate {args.saturate}", lat, err, wall, base_p50, None)
            used = server_cpu + pg_cpu
            rate = len(lat) / max(wall, 1e-9)
            print(f"          CPU over {elapsed:.1f} s: server processes {server_cpu:.1f} s, PostgreSQL {pg_cpu:.1f} s "
                  f"(database share {pg_cpu / max(used, 1e-9):.0%} of server-side CPU); "
                  f"{rate / max(used / elapsed, 1e-9):.0f} sync cycles per second per busy server-side core "
                  f"(load generator pid {me} not counted); load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
            breakdown(lat, False)
        for c in clients:
            c.close()
    finally:
        for s in servers:
            s.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
