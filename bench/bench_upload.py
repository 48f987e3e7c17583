"""What one upload batch costs the server: the real app in-process, real PostgreSQL, batches of 1, 5 and 40 sales.

    python bench/bench_upload.py [--sizes 1,5,40] [--repeats 40] [--rounds 2] [--before /tmp/old-tree]

Each measured upload is ``POST /v1/upload`` through the whole FastAPI application (the credential check before
the body, request parsing and validation, the form checks, the upload transaction, the JSON response), driven by
httpx's ASGI transport in the same process, so the process's CPU time per upload is the server's (the client only
sends bytes prepared beforehand). Batches are earns of distinct members (a terminal's outage backlog); every
size is measured interleaved with the others, after warm-up uploads of each size.

Reported per batch size: wall time per upload (p50, p90), server CPU per upload and per record (median), and the
ratio against the 1-record batch of the same run (the baseline: what any upload costs, whatever it carries).
Then a breakdown of a 40-record upload (cProfile over ``--profiled`` uploads, the request run on the event loop's
thread so that one profile sees all of it; cProfile inflates Python-heavy parts, so read the shares, not the
absolute figures) and the database statements (round trips) per upload.

``--before DIR``: the same measurement of another tree (e.g. ``git archive main | tar -x -C DIR``), in alternating
child processes (before, after, before, after ...), each on a fresh database of the same cluster, so both trees
are measured in the same run under the same machine load. The load average is printed with each figure.

Uses $LOYALTY_TEST_PG_URL if set, else a throwaway PostgreSQL with production durability (fsync on).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _child(url_admin: str, sizes: list[int], repeats: int, profiled: int) -> dict[str, Any]:
    """Runs in a child process whose sys.path starts with the tree under test. Returns the figures as a dict."""
    import asyncio
    import cProfile
    import hashlib
    import pstats
    import random
    import secrets

    import anyio.to_thread
    import httpx
    import uuid6

    from sync import protocol as p
    from sync import records
    from sync.server import app as app_module
    from sync.server.config import Settings
    from sync.server.db import make_engine, migrate
    from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo
    from tests.pg import PgCluster

    cluster = PgCluster(admin_url=url_admin)
    url = cluster.create_database("bench_upload")
    migrate(url)
    settings = Settings(database_url=url, admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                        key_passphrase=DEMO_KEY_PASSPHRASE, server_timing=True, pool_size=4)
    engine = make_engine(url, settings.pool_size)
    code = seed_demo(engine, settings, terminals=1).enrollment_codes[0]
    app = app_module.create_app(settings, engine)
    if hasattr(app_module, "_warm_caches"):
        app_module._warm_caches(engine, settings)

    headers = {p.PROTOCOL_HEADER: "1", "content-type": "application/json"}
    secret = secrets.token_hex(32)
    rnd = random.Random(7)
    state: dict[str, Any] = {"seq": 0}

    def now_iso() -> str:
        return p.format_utc(settings.clock())

    def next_seq() -> int:
        state["seq"] += 1
        return int(state["seq"])

    def member_record() -> dict[str, Any]:
        wire = {"id": str(uuid6.uuid7()), "card_no": "".join(rnd.choice("0123456789") for _ in range(16)),
                "name": "สมศรี ทดสอบ", "phone": "08" + "".join(rnd.choice("0123456789") for _ in range(8)),
                "tier": "member", "consent": True, "created_at": now_iso(), "terminal_id": state["terminal"]}
        wire["content_hash"] = p.content_hash(wire)
        return {"seq": next_seq(), "type": "member", "entry": None, "member": wire}

    def earn(member_id: str) -> dict[str, Any]:
        amount = rnd.randrange(2_500, 300_000)
        seq = next_seq()
        wire = records.entry_record(
            id=str(uuid6.uuid7()), terminal_id=state["terminal"], seq=seq, member_id=member_id, kind="earn",
            points=amount // 2500, sale_at=now_iso(), clock_offset_ms=0, operator_id="cashier1",
            amount_satang=amount, rules_version=1, tier_code="member", receipt_ref=f"R{seq}")
        return {"seq": seq, "type": "entry", "entry": wire, "member": None}

    def body(recs: list[dict[str, Any]]) -> bytes:
        return json.dumps({"batch_id": str(uuid.uuid4()), "records": recs}).encode()

    async def run() -> dict[str, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            r = await client.post("/v1/enroll", headers=headers, json={
                "code": code, "credential_sha256": hashlib.sha256(secret.encode()).hexdigest(),
                "device_name": "bench", "app_version": "bench"})
            assert r.status_code == 200, r.text
            state["terminal"] = r.json()["terminal_id"]
            auth = {**headers, "Authorization": f"Bearer {state['terminal']}.{secret}"}
            members = [member_record() for _ in range(1_000)]
            for i in range(0, len(members), 250):
                r = await client.post("/v1/upload", headers=auth, content=body(members[i:i + 250]))
                assert r.status_code == 200, r.text
            member_ids = [m["member"]["id"] for m in members]

            async def upload(size: int) -> tuple[float, float, dict[str, float]]:
                content = body([earn(mid) for mid in rnd.sample(member_ids, size)])
                cpu0, t0 = time.process_time(), time.perf_counter()
                r = await client.post("/v1/upload", headers=auth, content=content)
                wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
                assert r.status_code == 200 and r.json()["ack_seq"] == state["seq"], r.text[:300]
                timing: dict[str, float] = {}
                for part in r.headers.get("server-timing", "").split(","):
                    name, _, value = part.strip().partition(";dur=")
                    if value:
                        timing[name] = float(value)
                return wall, cpu, timing

            for size in sizes:  # warm-up: imports, caches, prepared statements of every shape
                for _ in range(5):
                    await upload(size)
            walls: dict[int, list[float]] = {s: [] for s in sizes}
            cpus: dict[int, list[float]] = {s: [] for s in sizes}
            phases: dict[int, dict[str, list[float]]] = {s: {} for s in sizes}
            for _ in range(repeats):
                for size in sizes:
                    wall, cpu, timing = await upload(size)
                    walls[size].append(wall)
                    cpus[size].append(cpu)
                    for name, value in timing.items():
                        phases[size].setdefault(name, []).append(value)

            # The breakdown: the request on this thread (sync endpoints and the credential check normally hop to
            # the thread pool; one profile then sees every part of the request)
            async def inline(fn: Any, *args: Any, **_kw: Any) -> Any:
                return fn(*args)

            real = anyio.to_thread.run_sync
            anyio.to_thread.run_sync = inline  # type: ignore[assignment]
            big = max(sizes)
            profiles = {}
            try:
                await upload(big)
                for clock in ("wall", "cpu"):  # one pass timed by the wall clock, one by this thread's CPU time
                    prof = cProfile.Profile(time.perf_counter if clock == "wall" else time.thread_time)
                    contents = [body([earn(mid) for mid in rnd.sample(member_ids, big)]) for _ in range(profiled)]
                    prof.enable()
                    for content in contents:
                        r = await client.post("/v1/upload", headers=auth, content=content)
                        assert r.status_code == 200, r.text[:300]
                    prof.disable()
                    profiles[clock] = prof
            finally:
                anyio.to_thread.run_sync = real  # type: ignore[assignment]
        if os.environ.get("BENCH_UPLOAD_PROFILE"):  # the whole profiles, for a closer look (pstats)
            for clock, prof in profiles.items():
                prof.dump_stats(f"{os.environ['BENCH_UPLOAD_PROFILE']}.{clock}")
        wall = _breakdown(pstats.Stats(profiles["wall"]), profiled)
        cpu = _breakdown(pstats.Stats(profiles["cpu"]), profiled)
        return {"walls": walls, "cpus": cpus, "phases": phases,
                "profile": {"ms": wall["ms"], "cpu_ms": cpu["ms"], "statements": wall["statements"],
                            "commands": wall["commands"]}}

    try:
        return asyncio.run(run())
    finally:
        engine.dispose()
        cluster.drop_database(url)


# (label, file suffix, function name, caller's function name or None): inclusive time of the function (when called
# from that caller). Labels may repeat: their parts are added.
PHASES = [
    ("the request's work off the event loop", "bench/bench_upload.py", "inline", None),
    ("  credential checks (authenticate, twice)", "sync/server/service.py", "authenticate", None),
    ("  form checks (record_form_problems)", "sync/server/service.py", "record_form_problems", None),
    ("  content hashes (canonical JSON + sha256)", "sync/server/service.py", "prepare_upload", None),
    ("  content hashes (canonical JSON + sha256)", "sync/server/service.py", "_wire_dict", "upload"),
    ("  content hashes (canonical JSON + sha256)", "sync/records.py", "canonical_json", "upload"),
    ("  content hashes (canonical JSON + sha256)", "sync/records.py", "sha256_hex", "upload"),
    ("  pool checkout (with pre-ping)", "sqlalchemy/pool/base.py", "_checkout", None),
    ("  upload transaction (service.upload)", "sync/server/service.py", "upload", None),
    ("    _apply (members, judging, inserts)", "sync/server/service.py", "_apply", None),
    ("      judging against the rules", "sync/server/service.py", "judge", None),
    ("      judging against the rules", "sync/server/service.py", "__init__", "_apply"),
    ("      feed bookkeeping (change ids)", "sync/server/db.py", "take_change_ids", None),
    ("      entry inserts (_insert_entries)", "sync/server/service.py", "_insert_entries", None),
    ("      flags (insert_flags)", "sync/server/service.py", "insert_flags", None),
    ("  commit", "sqlalchemy/engine/base.py", "_commit_impl", None),
    ("request body: JSON + pydantic validation", "fastapi/dependencies/utils.py", "_validate_value_with_model_field",
     None),
    ("request body: JSON + pydantic validation", "starlette/requests.py", "json", None),
    ("response JSON encoding", "pydantic/main.py", "model_dump_json", None),
]


def _breakdown(stats: Any, uploads: int) -> dict[str, Any]:
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    out: dict[str, float] = {}
    for label, suffix, name, caller in PHASES:
        total = 0.0
        for (file, _line, fname), (_cc, _nc, _tt, ct, callers) in raw.items():
            if not file.endswith(suffix) or fname != name:
                continue
            if caller is None:
                total += ct
            else:
                total += sum(v[3] for (_f, _l, cname), v in callers.items() if cname == caller)
        out[label] = out.get(label, 0.0) + total / uploads * 1000
    statements = commands = 0
    for (file, _line, fname), (_cc, nc, _tt, _ct, _callers) in raw.items():
        if file.endswith("psycopg/cursor.py") and fname in ("execute", "executemany", "copy"):
            statements += nc  # every statement, the pool's pre-ping included: each is a round trip (COPY: two)
        if file.endswith("psycopg/_connection_base.py") and fname == "_exec_command":
            commands += nc  # BEGIN, COMMIT, ROLLBACK: a round trip each
    return {"ms": out, "statements": statements / uploads, "commands": commands / uploads}


def _summary(results: list[dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    """Medians over every round of one tree."""
    walls = {s: [w for r in results for w in r["walls"][str(s)]] for s in sizes}
    cpus = {s: [c for r in results for c in r["cpus"][str(s)]] for s in sizes}
    out: dict[str, Any] = {"sizes": {}}
    for s in sizes:
        w = sorted(walls[s])
        phases: dict[str, list[float]] = {}
        for r in results:
            for name, values in r["phases"][str(s)].items():
                phases.setdefault(name, []).extend(values)
        out["sizes"][s] = {"wall_p50": statistics.median(w) * 1000, "wall_p90": w[int(len(w) * 0.9)] * 1000,
                           "cpu_p50": statistics.median(cpus[s]) * 1000,
                           "phases": {k: statistics.median(v) for k, v in phases.items()}}
    for key in ("ms", "cpu_ms"):
        profile: dict[str, float] = {}
        for r in results:
            for k, v in r["profile"][key].items():
                profile[k] = profile.get(k, 0.0) + v / len(results)
        out["profile" if key == "ms" else "profile_cpu"] = profile
    out["statements"] = statistics.mean(r["profile"]["statements"] for r in results)
    out["commands"] = statistics.mean(r["profile"]["commands"] for r in results)
    return out


def _print(label: str, summary: dict[str, Any], sizes: list[int], base: dict[str, Any] | None) -> None:
    print(f"\n== {label}")
    one = summary["sizes"][sizes[0]]
    for s in sizes:
        f = summary["sizes"][s]
        ph = f["phases"]
        line = (f"  {s:3d} records: wall p50 {f['wall_p50']:6.1f} ms, p90 {f['wall_p90']:6.1f} ms; server CPU "
                f"{f['cpu_p50']:6.1f} ms per upload, {f['cpu_p50'] / s:5.2f} ms per record; "
                f"x{f['cpu_p50'] / one['cpu_p50']:.1f} the {sizes[0]}-record upload's CPU; Server-Timing: auth "
                f"{ph.get('auth', 0):.1f}, upload tx {ph.get('upload', 0):.1f}, pool {ph.get('pool', 0):.2f} ms")
        if base is not None:
            b = base["sizes"][s]
            line += f"  [CPU {f['cpu_p50'] / b['cpu_p50']:.2f}x before, wall {f['wall_p50'] / b['wall_p50']:.2f}x]"
        print(line)
    print(f"  breakdown of one {sizes[-1]}-record upload (cProfile, ms per upload, inclusive): "
          f"{summary['statements']:.1f} statements (pre-pings included) and {summary['commands']:.1f} "
          f"BEGIN/COMMIT per upload")
    print(f"    {'':50s} {'wall':>7s} {'CPU':>7s}" + ("   (before: wall    CPU)" if base is not None else ""))
    for k, v in summary["profile"].items():
        extra = ""
        if base is not None and k in base["profile"]:
            extra = f"   (before {base['profile'][k]:7.2f} {base['profile_cpu'][k]:6.2f})"
        print(f"    {k:50s} {v:7.2f} {summary['profile_cpu'][k]:7.2f}{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,5,40")
    ap.add_argument("--repeats", type=int, default=40, help="uploads of each size per round")
    ap.add_argument("--rounds", type=int, default=2, help="child processes per tree (alternating with --before)")
    ap.add_argument("--profiled", type=int, default=10, help="uploads of the largest size under cProfile")
    ap.add_argument("--before", type=Path, default=None, help="another tree to measure in the same run")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    sizes = sorted(int(x) for x in args.sizes.split(","))
    if args.child:
        print(json.dumps(_child(args.child, sizes, args.repeats, args.profiled)))
        return

    sys.path.insert(0, str(REPO))
    from bench.demo_db import bench_cluster

    cluster = bench_cluster()
    trees = [("this tree", REPO)] + ([("before", args.before.resolve())] if args.before else [])
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in trees}
    try:
        print(f"{os.cpu_count()} cores; sizes {sizes}; {args.repeats} uploads of each size per round, "
              f"{args.rounds} rounds per tree; load average {os.getloadavg()[0]:.1f}")
        for rnd in range(args.rounds):
            for name, tree in (trees if rnd % 2 == 0 else trees[::-1]):
                env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
                load = os.getloadavg()[0]
                out = subprocess.run(
                    [sys.executable, str(Path(__file__).resolve()), "--child", cluster.admin_url,
                     "--sizes", args.sizes, "--repeats", str(args.repeats), "--profiled", str(args.profiled)],
                    cwd=tree, env=env, capture_output=True, text=True, check=False)
                if out.returncode != 0:
                    raise SystemExit(f"{name}: child failed\n{out.stderr[-3000:]}")
                results[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(f"  round {rnd + 1}: {name} measured (load average {load:.1f} -> {os.getloadavg()[0]:.1f})",
                      flush=True)
    finally:
        cluster.stop()
    summaries = {name: _summary(rs, sizes) for name, rs in results.items()}
    if "before" in summaries:
        _print(f"before ({args.before})", summaries["before"], sizes, None)
    _print(f"this tree ({REPO})", summaries["this tree"], sizes, summaries.get("before"))


if __name__ == "__main__":
    main()
