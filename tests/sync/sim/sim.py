"""Deterministic simulation of one central server and N terminals under network and process faults.

Everything real except the network: the server is the real FastAPI app (in-process, behind the httpx transport
seam) on a real SQLite file; every terminal is a real ledger file with the real services, the real offline
allowance guard and the real sync client. A seeded ``random.Random`` decides every operation and every fault,
so a seed replays the same schedule. Time and ids are injected everywhere (the terminals' ledgers, services and
sync clients, the server's clock and id source): one simulated clock and one seeded id source per seed, so a seed
also reproduces the same final state, summed up as ``state <sha256>`` (:func:`state_digest`).

A hostile terminal (a raw protocol client with a valid credential) now and then sends forged records (kinds a
terminal may not create, wrong signs, out-of-range points, approvals by a non-manager, corrections of nothing)
next to honest earns, and probes with non-canonical sale times.

Faults: request lost, response lost (after the server committed), request duplicated, an old upload batch
resent late (reordering), HTTP 500 / garbage answers, network partitions of single terminals, terminal crashes
(everything in memory dropped, the ledger reopened; also mid-request, before or after the server committed)
and server restarts (and outages). After the network heals, every terminal uploads, then every terminal syncs,
then the checks:

* nothing lost: every entry and member record a terminal holds is on the server with the same content, and the
  server acknowledges each terminal's whole outbox;
* nothing twice: the server holds exactly the entries the terminals made (plus its own overdrafts), and every
  balance equals the sum of its entries, on the server and on every terminal (the ledger's own verify());
* convergence: every terminal holds exactly the server's entries and balances;
* overdrafts within the bound: a member's overdrafts never exceed what counters honoured offline for them, no
  offline redemption exceeded the per-redemption limit, and an overdrawn member is flagged everywhere;
* a standalone terminal with its own members, sales and a redemption (one member with a phone the chain already
  has) joins the chain at a random step, under the same faults (its enrollment's answer lost, the terminal
  crashing mid-request): it keeps its id, the server takes its records over, and it is checked like every
  terminal from then on (none of its records quarantined, the same balances everywhere);
* the hostile terminal moved nothing: every forged record is held quarantined with its compensation, quarantined
  entries net to zero per member, no honest ledger holds any of them, a non-canonical time was never accepted,
  and the hostile terminal's queue drained like everyone's.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import os
import random
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, select

from pos_app.core.rules import Currencies, FxRate, Purchase, default_rules, points_for
from pos_app.ledger.db import LEDGER_FILENAME, create_ledger_engine
from pos_app.ledger.repository import Ledger
from pos_app.ledger.sync_store import LedgerSyncStore
from pos_app.services import sync_glue
from pos_app.services.errors import ServiceError
from pos_app.services.staff import Approval
from pos_app.services.terminal import Services, open_terminal
from sync import records
from sync.client import SyncClient, SyncError, enroll
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import create_app, run_tx
from sync.server.config import Settings
from sync.server.db import make_engine, migrate
from sync.server.demo import DEMO_KEY_PASSPHRASE
from tests.sync.client.harness import SERVER_URL, make_server_template, settings_for
from tests.sync.feed import wait_for_feed
from tests.sync.server.terminal import Terminal

SIM_RULES = dataclasses.replace(default_rules(2), currencies=Currencies(
    (FxRate("USD", "35.8125", datetime(2000, 1, 1, tzinfo=UTC)),)))
POLICY = {"max_points_per_redemption": 300, "max_points_per_member_per_terminal": 500,
          "max_points_per_terminal": 1500, "max_hours_since_sync": 24,
          "voucher_allowances": {"fixed": {"count": 2, "value_satang": 10_000},
                                 "percent": {"count": 1, "value_satang": 20_000},
                                 "multiplier": {"count": 1, "value_satang": 0}}}
VOUCHERS = (("fixed", 16), ("percent", 6), ("multiplier", 6))
"""Vouchers issued in the template (kind, count): a seed's counters use them online and offline."""


OTHER_BRANCH = "ROAM2"
"""The second branch of a branch-scoped world (``World(scope="branch")``)."""
STANDALONE = "standalone"
"""The template's standalone terminal (data folder name)."""
SIM_EPOCH_MS = 1_795_000_000_000  # 2026-11-18 07:06 UTC: where every world's clock starts


class SimTime:
    """The one clock of a simulated world: terminals read milliseconds, the server a datetime; every reading
    moves it on by one millisecond, so time is strictly increasing and depends only on the sequence of events."""

    def __init__(self) -> None:
        self.now = SIM_EPOCH_MS

    def reset(self, start: int) -> None:
        self.now = start

    def ms(self) -> int:
        self.now += 1
        return self.now

    def dt(self) -> Any:
        return records.ms_to_dt(self.ms())


class SeededIds:
    """UUIDv7 from the simulated clock and a seeded random source (the id source of every party)."""

    def __init__(self, time: SimTime) -> None:
        self.time = time
        self.rng = random.Random("ids")

    def reset(self, name: str) -> None:
        self.rng = random.Random(f"ids-{name}")

    def __call__(self) -> str:
        rand = self.rng.getrandbits(74)
        value = ((self.time.now & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 62) << 64 | 0b10 << 62
                 | (rand & ((1 << 62) - 1)))
        return str(uuid.UUID(int=value))


class SimCrash(Exception):
    """The terminal process dies here (raised through the client; the simulation reopens the terminal)."""


class EngineProxy:
    """Lets one app object serve a fresh database per seed (and a "restarted" server: a new engine)."""

    def __init__(self) -> None:
        self.target: Engine | None = None

    def connect(self) -> Any:
        assert self.target is not None, "server is down"
        return self.target.connect()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)


@dataclass
class Config:
    terminals: int = 8
    steps: int = 20
    p_drop_request: float = 0.06
    p_drop_response: float = 0.06
    p_duplicate: float = 0.04
    p_error: float = 0.03
    p_crash_in_request: float = 0.02


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _run_sync_endpoints_inline(on: bool) -> None:
    """The simulation is strictly sequential: run FastAPI's sync endpoints in the loop's thread instead of a
    thread pool (same code, no thread hand-offs; much faster on a busy 2-core machine). Undone by close()."""
    import fastapi.dependencies.utils as deps
    import fastapi.routing as routing
    from starlette.concurrency import run_in_threadpool

    target = _inline if on else run_in_threadpool
    routing.run_in_threadpool = target  # type: ignore[assignment]
    deps.run_in_threadpool = target  # type: ignore[assignment]


class SqliteBackend:
    """The server database of a seed: a copy of the template SQLite file."""

    def template_url(self, template_dir: Path) -> str:
        make_server_template(template_dir)
        return f"sqlite:///{template_dir / 'server.sqlite3'}"

    def seed_url(self, seed: int, workdir: Path) -> str:
        return f"sqlite:///{workdir / 'server.sqlite3'}"  # copied with the seed's directory

    def drop(self, url: str) -> None:
        pass


class PgBackend:
    """The server database of a seed: ``CREATE DATABASE ... TEMPLATE`` of a seeded PostgreSQL database."""

    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster
        self.template: str | None = None

    def template_url(self, template_dir: Path) -> str:
        from sync.server.demo import seed_demo

        template_dir.mkdir(parents=True, exist_ok=True)
        url = self.cluster.create_database("sim_template")
        migrate(url)
        engine = make_engine(url)
        seed_demo(engine, Settings(database_url=url, key_passphrase=DEMO_KEY_PASSPHRASE), terminals=0)
        engine.dispose()
        self.template = url
        return url

    def seed_url(self, seed: int, workdir: Path) -> str:
        import psycopg

        assert self.template is not None
        name = f"sim_{seed}_{uuid.uuid4().hex[:8]}"
        admin = self.cluster.admin_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template.rsplit("/", 1)[1]}"')
        return f"{self.cluster.admin_url.rsplit('/', 1)[0]}/{name}"

    def drop(self, url: str) -> None:
        self.cluster.drop_database(url)


class World:
    """Per process: the server app and the template (server database + enrolled terminals), built once."""

    def __init__(self, root: Path | None = None, terminals: int = 8, backend: Any = None,
                 scope: str = "chain") -> None:
        """``scope="branch"``: the chain's policy says ``feed_scope=branch``; the terminals are in two branches
        (even ones at BKK01, odd ones at ROAM2) and members roam between them (``follow`` at the counter)."""
        self.scope = scope
        base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
        self.root = root or Path(tempfile.mkdtemp(prefix="sync-sim-", dir=base))
        self.terminals = terminals
        self.template = self.root / "template"
        self.backend = backend or SqliteBackend()
        self.time = SimTime()
        self.ids = SeededIds(self.time)
        self.settings: Settings = dataclasses.replace(settings_for(self.template / "server.sqlite3"),
                                                      clock=self.time.dt, new_id=self.ids)
        self.proxy = EngineProxy()
        # The ASGI app called directly on one event loop of this thread (no test-client portal thread).
        _run_sync_endpoints_inline(True)
        self.loop = asyncio.new_event_loop()
        self.app = create_app(self.settings, self.proxy)
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(self.app),  # type: ignore[arg-type]
                                      base_url=SERVER_URL)
        logging.getLogger("sync.server").setLevel(logging.ERROR)
        self.hook: Any = None
        self._build_template()

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()
        _run_sync_endpoints_inline(False)
        if self.proxy.target is not None:
            self.proxy.target.dispose()
        shutil.rmtree(self.root, ignore_errors=True)

    def start_server(self, url: str) -> None:
        """The server (re)starts on the database at ``url``: a new process, so nothing held in memory by the last
        one (the door's credentials) carries over; a seed replays the same way whatever ran before it."""
        self.proxy.target = make_engine(url)
        self.app.state.known_credentials.clear()

    # ------------------------------------------------------------------ the seam
    def handle(self, request: httpx.Request) -> httpx.Response:
        action = self.hook(request) if self.hook else None
        if action == "drop_request":
            raise httpx.ConnectError("sim: request lost", request=request)
        if action == "crash_before":
            raise SimCrash("terminal died before sending")
        if action == "500":
            return httpx.Response(500, text="Internal Server Error")
        if action == "garbage":
            return httpx.Response(200, text="<html>captive portal</html>")
        answer = self.forward(request.method, request.url.raw_path.decode("ascii"), request.read(),
                              dict(request.headers))
        if action == "duplicate":
            answer = self.forward(request.method, request.url.raw_path.decode("ascii"), request.read(),
                                  dict(request.headers))
        if action == "drop_response":
            raise httpx.ReadError("sim: answer lost", request=request)
        if action == "crash_after":
            raise SimCrash("terminal died before reading the answer")
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    def forward(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        headers = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")}
        return self.loop.run_until_complete(self.http.request(method, path, content=body, headers=headers))

    def transport(self) -> httpx.BaseTransport:
        return httpx.MockTransport(self.handle)

    # ------------------------------------------------------------------ template
    def _build_template(self) -> None:
        self.time.reset(SIM_EPOCH_MS)
        self.ids.reset("template")
        self.proxy.target = make_engine(self.backend.template_url(self.template))
        run_tx(self.proxy.target, lambda c: svc.set_policy(c, POLICY | (
            {"feed_scope": "branch"} if self.scope == "branch" else {})))
        if self.scope == "branch":
            run_tx(self.proxy.target, lambda c: svc.add_branch(c, OTHER_BRANCH, "Roaming branch", self.time.dt()))
        # rules version 2: the default earning, plus dollars at every branch (foreign-currency sales)
        run_tx(self.proxy.target, lambda c: svc.set_rules(c, SIM_RULES.to_json(), self.time.dt()))
        from pos_app.core.vouchers import Benefit
        from sync.server import vouchers as server_vouchers

        codes: list[str] = []
        for kind, count in VOUCHERS:
            benefit = Benefit("fixed", 5000) if kind == "fixed" else Benefit("multiplier", 2) \
                if kind == "multiplier" else Benefit("percent", 20, cap_satang=20_000)
            _, issued = run_tx(self.proxy.target, lambda c, b=benefit, n=count: server_vouchers.issue_batch(
                c, settings_for(self.template / "server.sqlite3"), campaign=f"SIM-{b.kind}", count=n, benefit=b,
                valid_until=records.ms_to_dt(SIM_EPOCH_MS + 30 * 86_400_000), now=self.time.dt(),
                rng=random.Random(f"vouchers-{b.kind}")))
            codes.extend(code for _, code in issued)
        (self.template / "vouchers.json").write_text(json.dumps(codes))
        terms = []
        for i in range(self.terminals):
            services = open_terminal(self.template / f"t{i}", clock=self.time.ms, ids=self.ids)
            branch = OTHER_BRANCH if self.scope == "branch" and i % 2 else "BKK01"
            code = run_tx(self.proxy.target, lambda c, b=branch: svc.issue_enrollment_code(
                c, b, self.time.dt(), 1))[0]
            enroll(LedgerSyncStore(services.ledger), SERVER_URL, code, transport=self.transport(),
                   clock=self.time.ms)
            terms.append(services)
        code = run_tx(self.proxy.target, lambda c: svc.issue_enrollment_code(c, "BKK01", self.time.dt(), 1))[0]
        http = httpx.Client(transport=self.transport(), base_url=SERVER_URL)
        hostile = Terminal(http)
        assert hostile.enroll(code).status_code == 200
        (self.template / "hostile.json").write_text(json.dumps({"terminal_id": hostile.terminal_id,
                                                                 "secret": hostile.secret}))
        http.close()
        self.template_end_ms = self.time.now + 1000  # each seed's clock starts here (a fresh, recent sync)
        first = terms[0]
        for k in range(4):
            member = first.members.enroll(name=f"Seed {k}", phone=f"0800000{k:03d}", operator_id="cashier1")
            first.award(member_id=member.id, amount_satang=1_500_000, receipt_ref=f"SEED-{k}",
                        operator_id="cashier1")
        for services in (*terms, *terms):
            client = SyncClient(LedgerSyncStore(services.ledger), transport=self.transport(), clock=self.time.ms,
                                ids=self.ids)
            client.sync_once()
            client.close()
        # A shop's terminal that ran standalone: it joins the chain during each seed (``run_seed``).
        shop = open_terminal(self.template / STANDALONE, clock=self.time.ms, ids=self.ids)
        twin = shop.members.enroll(name="Shop 0", phone="0800000001", operator_id="cashier1")  # = "Seed 1"
        own = shop.members.enroll(name="Shop 1", phone="0890000001", operator_id="cashier1")
        shop.award(member_id=twin.id, amount_satang=500_000, receipt_ref="SHOP-1", operator_id="cashier1")
        shop.award(member_id=own.id, amount_satang=300_000, receipt_ref="SHOP-2", operator_id="cashier1")
        shop.redeem(member_id=own.id, points=50, operator_id="cashier1")
        # approved by the shop's own manager, whom the chain's server does not know (taken over as recorded)
        shop.add_staff(name="Shop Boss", role="manager", pin="482916", staff_id="shopboss")
        shop.adjust(member_id=twin.id, points=7, reason="goodwill", operator_id="shopboss",
                    approval=Approval(pin="482916", manager_id="shopboss"))
        shop.close()
        for services in terms:
            services.close()
        self.proxy.target.dispose()
        self.proxy.target = None


@dataclass
class SimTerm:
    index: int
    data_dir: Path
    world: World
    services: Services = field(init=False)
    client: SyncClient = field(init=False)
    terminal_id: str = field(init=False)
    branch: str = field(init=False)

    def __post_init__(self) -> None:
        # First open of the copied template: skip the integrity and schema checks (it was just made by this
        # code); reopening after a crash below goes through the counter's full open path.
        ledger = Ledger(self.data_dir / LEDGER_FILENAME, create_ledger_engine(self.data_dir / LEDGER_FILENAME),
                        clock=self.world.time.ms, ids=self.world.ids)
        ledger._ensure_identity()  # the template is at the head schema already
        self.services = Services(ledger)
        self._attach()

    def open(self) -> None:
        self.services = open_terminal(self.data_dir, clock=self.world.time.ms, ids=self.world.ids)
        self._attach()

    def _attach(self) -> None:
        sync_glue.install(self.services)
        self.terminal_id = self.services.ledger.terminal_id
        self.branch = LedgerSyncStore(self.services.ledger).state().branch_id or ""
        self.client = SyncClient(LedgerSyncStore(self.services.ledger), transport=self.world.transport(),
                                 batch_size=4, page_limit=40, clock=self.world.time.ms, ids=self.world.ids)

    def close(self) -> None:
        self.client.close()
        self.services.close()

    def crash(self) -> None:
        self.close()
        self.open()


class SimFailure(AssertionError):
    pass


FORGERIES: list[tuple[str, dict[str, Any]]] = [
    ("redeem", {"points": 500}),
    ("overdraft", {"points": -5000, "corrects_id": "nothing"}),
    ("overdraft", {"points": 300, "corrects_id": "nothing"}),
    ("expire", {"points": 200, "corrects_id": "nothing"}),
    ("adjust", {"points": 800, "approved_by": "cashier1"}),
    ("adjust", {"points": 2**40, "approved_by": "manager1"}),
    ("earn", {"points": -70, "amount_satang": 10_000, "rules_version": 1, "tier_code": "member"}),
    ("reverse", {"points": 90, "corrects_id": "nothing"}),
]
BAD_TIMES = ["2026-11-23T08:15:00Z", "0001-01-01T00:00:00.000Z", "2026-11-23T08:15:00.000+00:00"]


class Hostile:
    """A terminal with a valid credential that writes records by hand: honest earns, now and then a forged
    record, and probes with non-canonical sale times. Its outbox is resent from its ack like a real client's."""

    def __init__(self, world: World, data: dict[str, str], rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.http = httpx.Client(transport=world.transport(), base_url=SERVER_URL)
        self.t = Terminal(self.http, terminal_id=data["terminal_id"], secret=data["secret"])
        self.acked = 0
        self.forged: dict[str, int] = {}  # entry id -> points
        self.bad_time_accepted: list[str] = []
        self.rules = default_rules(1)

    def _entry(self, member_id: str, kind: str, points: int, **fields: Any) -> dict[str, Any]:
        fields.setdefault("sale_at", records.ms_to_iso(self.world.time.ms()))
        fields.setdefault("id", self.world.ids())
        if fields.get("corrects_id") == "nothing":
            fields["corrects_id"] = self.world.ids()
        return self.t.entry(member_id, kind, points, **fields)

    def act(self, members: list[str]) -> str:
        member = members[self.rng.randrange(len(members))]
        choice = self.rng.random()
        if choice < 0.45:
            kind, fields = FORGERIES[self.rng.randrange(len(FORGERIES))]
            record = self._entry(member, kind, **fields)
            self.forged[record["entry"]["id"]] = record["entry"]["points"]
            what = f"forged {kind} {fields['points']}"
        elif choice < 0.6:
            probe = self._entry(member, "earn", 4, amount_satang=10_000, rules_version=1, tier_code="member",
                                sale_at=BAD_TIMES[self.rng.randrange(len(BAD_TIMES))])
            self.t.outbox.pop()
            self.t.seq -= 1
            try:
                response = self.t.upload([probe], batch_id=self.world.ids())
            except (httpx.HTTPError, SimCrash):
                return "hostile probe lost"
            if response.status_code == 200 and "ack_seq" in response.text:
                self.bad_time_accepted.append(probe["entry"]["sale_at"])
            return "hostile probe"
        else:
            amount = self.rng.randrange(10_000, 300_000)
            at = self.world.time.ms()
            points = points_for(Purchase(amount_satang=amount, sale_at=records.ms_to_dt(at)), self.rules,
                                "member").points
            self._entry(member, "earn", points, amount_satang=amount, rules_version=1, tier_code="member",
                        sale_at=records.ms_to_iso(at))
            what = "honest earn"
        self.send()
        return what

    def send(self) -> None:
        pending = self.t.outbox[self.acked:]
        if not pending:
            return
        try:
            response = self.t.upload(pending, batch_id=self.world.ids())
        except (httpx.HTTPError, SimCrash):
            return
        if response.status_code == 200:
            try:
                self.acked = max(self.acked, int(response.json()["ack_seq"]))
            except (ValueError, KeyError):
                pass

    def close(self) -> None:
        self.http.close()


@dataclass
class Report:
    seed: int
    operations: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    overdrafts: int = 0
    trace: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    state: str = ""
    """sha256 of the final server and terminal state (the same for every run of the seed)."""

    def count(self, bucket: dict[str, int], key: str) -> None:
        bucket[key] = bucket.get(key, 0) + 1
        self.trace.append(key if bucket is self.faults else f"-- {key}")


def run_seed(world: World, seed: int, config: Config | None = None) -> Report:
    config = config or Config(terminals=world.terminals)
    rng = random.Random(seed)
    report = Report(seed)
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        report.seconds[name] = report.seconds.get(name, 0.0) + now - clock[0]
        clock[0] = now
    world.time.reset(world.template_end_ms)
    world.ids.reset(str(seed))
    workdir = world.root / f"seed-{seed}"
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.copytree(world.template, workdir)
    server_url = world.backend.seed_url(seed, workdir)
    world.start_server(server_url)
    terms = [SimTerm(i, workdir / f"t{i}", world) for i in range(config.terminals)]
    by_id = {t.terminal_id: t for t in terms}
    hostile = Hostile(world, json.loads((workdir / "hostile.json").read_text()), random.Random(f"hostile-{seed}"))
    # a few vouchers per seed, so that counters (online, offline, partitioned) meet over the same ones
    vouchers = random.Random(f"vouchers-{seed}").sample(json.loads((workdir / "vouchers.json").read_text()), 3)
    partitioned: set[str] = set()
    state = {"down": 0, "healed": False}
    sent_uploads: list[tuple[str, bytes, dict[str, str]]] = []
    phones = iter(range(10_000))
    receipts = iter(range(100_000))

    def hook(request: httpx.Request) -> str | None:
        auth = request.headers.get("authorization", "")
        tid = auth[len("Bearer "):].rpartition(".")[0] if auth else None
        if request.url.path in ("/v1/upload", "/v1/sync"):  # the round's last batch goes in /v1/sync
            sent_uploads.append((request.url.path, request.read(), dict(request.headers)))
        if state["healed"]:
            return None
        if state["down"] or (tid in partitioned):
            report.count(report.faults, "unreachable")
            report.trace[-1] += f" {request.method} {request.url.path} terminal {tid}"
            return "drop_request"
        r = rng.random()
        for name, p in (("drop_request", config.p_drop_request), ("drop_response", config.p_drop_response),
                        ("duplicate", config.p_duplicate), ("500", config.p_error / 2),
                        ("garbage", config.p_error / 2), ("crash_before", config.p_crash_in_request / 2),
                        ("crash_after", config.p_crash_in_request / 2)):
            if r < p:
                report.count(report.faults, name)
                report.trace[-1] += f" {request.method} {request.url.path} terminal {tid}"
                return name
            r -= p
        return None

    world.hook = hook
    shop_dir = workdir / STANDALONE
    shop_code = run_tx(world.proxy.target, lambda c: svc.issue_enrollment_code(c, "BKK01", world.time.dt(), 1))[0]
    lap("setup")

    def join(local_sale: bool) -> None:
        """The standalone terminal tries to join (maybe after one more local sale); once enrolled, it is a
        terminal of the simulation like the others."""
        from pos_app.services.member_cards import terminal_key

        shop = open_terminal(shop_dir, clock=world.time.ms, ids=world.ids)
        try:
            if local_sale:
                shop.award(member_id=members_of_services(shop)[0], amount_satang=rng.randrange(10_000, 200_000),
                           receipt_ref=f"SHOP{seed}-{next(receipts)}", operator_id="cashier1")
            enroll(LedgerSyncStore(shop.ledger), SERVER_URL, shop_code, transport=world.transport(),
                   clock=world.time.ms, card_key=terminal_key(shop_dir))
        except SimCrash:
            report.count(report.faults, "terminal_crash_mid_request")
        except SyncError:
            pass
        finally:
            joined = LedgerSyncStore(shop.ledger).state().mode == "enrolled"
            shop.close()
        if joined:
            report.count(report.operations, "joined")
            t = SimTerm(len(terms), shop_dir, world)
            terms.append(t)
            by_id[t.terminal_id] = t

    def members_of_services(services: Services) -> list[str]:
        with services.ledger.read() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT id FROM members ORDER BY id").all()]

    def members_of(t: SimTerm) -> list[tuple[str, int]]:
        with t.services.ledger.read() as conn:
            rows = conn.exec_driver_sql("SELECT member_id, points FROM balances ORDER BY member_id").all()
        return [(r[0], int(r[1])) for r in rows]

    def guarded(t: SimTerm, fn: Any) -> None:
        try:
            fn()
        except SimCrash:
            report.count(report.faults, "terminal_crash_mid_request")
            t.crash()
        except (SyncError, ServiceError):
            pass

    try:
        for _step in range(config.steps):
            if state["down"]:
                state["down"] -= 1
                if state["down"] == 0:
                    world.start_server(server_url)
            t = terms[rng.randrange(len(terms))]
            ops, weights = ["member", "award", "redeem", "sync", "partition", "crash", "server", "replay",
                            "hostile", "join", "voucher"], [8, 30, 22, 28, 5, 3, 2, 2, 4, 3, 10]
            if world.scope == "branch":  # a member of another branch at the counter (the chain-scope schedule
                ops, weights = ops + ["roam"], weights + [8]  # of every seed stays what it was)
            op = rng.choices(ops, weights=weights)[0]
            report.count(report.operations, op)
            report.trace[-1] += f" @terminal {t.index}"
            if op == "join":
                if shop_dir not in {term.data_dir for term in terms}:
                    join(local_sale=rng.random() < 0.5)
            elif op == "member":
                n = next(phones)
                guarded(t, partial(t.services.members.enroll, name=f"M{seed}-{n}", phone=f"081{n:07d}",
                                   operator_id="cashier1"))
            elif op == "award":
                known = members_of(t)
                if known:
                    member = known[rng.randrange(len(known))][0]
                    amount = rng.randrange(10_000, 500_000)
                    receipt = f"S{seed}-{next(receipts)}"
                    if rng.random() < 0.2:  # a sale in dollars: earns on its baht equivalent
                        report.count(report.operations, "award_usd")
                        guarded(t, partial(t.services.award, member_id=member, currency="USD",
                                           amount_minor=amount // 35, receipt_ref=receipt, operator_id="cashier1"))
                    else:
                        guarded(t, partial(t.services.award, member_id=member, amount_satang=amount,
                                           receipt_ref=receipt, operator_id="cashier1"))
            elif op == "redeem":
                rich = [(mid, bal) for mid, bal in members_of(t) if bal > 0]
                if rich:
                    member, balance = rich[rng.randrange(len(rich))]
                    points = rng.randint(1, min(balance, 400))
                    guarded(t, partial(sync_glue.redeem, t.services, t.client, member_id=member, points=points,
                                       operator_id="cashier1"))
            elif op == "voucher":  # a coupon scanned at the counter: online first, else within the allowance
                code = vouchers[rng.randrange(len(vouchers))]
                known = members_of(t)  # a multiplier voucher records its sale for a member (the others: anyone)
                guarded(t, partial(sync_glue.redeem_voucher, t.services, t.client, code,
                                   receipt_ref=f"V{seed}-{next(receipts)}", operator_id="cashier1",
                                   bill_satang=rng.randrange(3_000, 200_000),
                                   member_id=known[rng.randrange(len(known))][0] if known else None))
            elif op == "roam":  # scanned at this counter, held by a counter of another branch: follow, pull, sell
                others = sorted({mid for o in terms if o.branch != t.branch for mid, _ in members_of(o)}
                                - {mid for mid, _ in members_of(t)})
                if others:
                    member = others[rng.randrange(len(others))]

                    def follow_and_sell(t: SimTerm = t, member: str = member) -> None:
                        t.client.follow_member(member_id=member)
                        t.client.pull()
                        t.services.award(member_id=member, amount_satang=rng.randrange(10_000, 500_000),
                                         receipt_ref=f"R{seed}-{next(receipts)}", operator_id="cashier1")
                    guarded(t, follow_and_sell)
            elif op == "sync":
                guarded(t, t.client.sync_once)
                guarded(t, partial(t.services.upload_voucher_uses, sync_glue.ClientVouchers(t.client)))
            elif op == "partition":
                partitioned.symmetric_difference_update({t.terminal_id})
            elif op == "crash":
                t.crash()
            elif op == "server" and not state["down"]:
                world.proxy.target.dispose()  # type: ignore[union-attr]
                world.proxy.target = None
                state["down"] = rng.randint(0, 3)
                if state["down"] == 0:
                    world.start_server(server_url)
            elif op == "hostile":
                known = [mid for mid, _ in members_of(terms[0])]
                if known:
                    report.trace[-1] += " " + hostile.act(known)
            elif op == "replay" and sent_uploads and not state["down"]:
                path, body, headers = sent_uploads[rng.randrange(len(sent_uploads))]
                world.forward("POST", path, body, headers)  # a delayed copy of an old batch (or round)
        lap("steps")
        # ------------------------------------------------------------------ heal
        state["healed"] = True
        state["down"] = 0
        partitioned.clear()
        if world.proxy.target is None:
            world.start_server(server_url)
        if shop_dir not in {term.data_dir for term in terms}:
            join(local_sale=False)  # the standalone terminal joins now, if it has not yet
            if shop_dir not in {term.data_dir for term in terms}:
                raise SimFailure(f"seed {seed}: the standalone terminal could not join with a healed network")
        for t in terms:  # everyone sends what it holds (the server raises overdrafts now) ...
            t.client.upload()
        hostile.send()
        wait_for_feed(world.proxy.target)
        for t in terms:  # ... then everyone receives everything (and sends the voucher uses it holds)
            t.client.sync_once()
            t.services.upload_voucher_uses(sync_glue.ClientVouchers(t.client))
        lap("heal")
        check(world, terms, by_id, report, hostile)
        report.state = state_digest(world, terms)
        lap("check")
    finally:
        world.hook = None
        hostile.close()
        for t in terms:
            t.close()
        if world.proxy.target is not None:
            world.proxy.target.dispose()
            world.proxy.target = None
        world.backend.drop(server_url)
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def check(world: World, terms: list[SimTerm], by_id: dict[str, SimTerm], report: Report, hostile: Hostile) -> None:
    engine = world.proxy.target
    assert engine is not None

    def q(stmt: Any) -> list[Any]:
        return run_tx(engine, lambda c: list(c.execute(stmt)))

    def fail(text: str) -> None:
        raise SimFailure(f"seed {report.seed}: {text}")

    server_entries = {r.id: r for r in q(select(
        m.entries.c.id, m.entries.c.terminal_id, m.entries.c.payload, m.entries.c.content_hash,
        m.entries.c.member_id, m.entries.c.kind, m.entries.c.points, m.entries.c.quarantined,
        m.entries.c.for_terminal_id, m.entries.c.corrects_id))}
    server_balances = {r.id: int(r.balance) for r in q(select(m.members.c.id, m.members.c.balance))}
    applied = {r.id: int(r.applied_seq) for r in q(select(m.terminals.c.id, m.terminals.c.applied_seq))}
    # What each terminal mirrors: every member (full feed), or the members linked to its branch (branch feed)
    linked: dict[str, set[str]] = {}
    for r in q(select(m.member_branches.c.branch_id, m.member_branches.c.member_id)):
        linked.setdefault(r.branch_id, set()).add(r.member_id)
    multiplied = q(select(m.flags.c.entry_id, m.flags.c.details).where(m.flags.c.kind == "points_mismatch"))
    honest_multiplied = {r.id for r in server_entries.values() if r.terminal_id != hostile.t.terminal_id
                         and '"points_factor"' in (r.payload or "")}
    # an honest factor is disputed only for a second sale with one voucher (two counters honoured it offline):
    # one voucher multiplies one sale, so exactly one honest sale per voucher keeps its bonus
    factor_disputed = [f.entry_id for f in multiplied if f.entry_id in honest_multiplied
                       and json.loads(f.details).get("server_points_factor") != json.loads(f.details)["points_factor"]
                       and not json.loads(f.details).get("voucher_refused", "").startswith(
                           "the voucher already multiplied")]
    if factor_disputed:
        fail(f"the server disputed an honest terminal's multiplier voucher factor: {factor_disputed[:3]}")
    kept: dict[str, list[str]] = {}
    refused = {f.entry_id for f in multiplied if "voucher_refused" in json.loads(f.details)}
    for r in server_entries.values():
        if r.id in honest_multiplied and r.id not in refused:
            kept.setdefault(json.loads(r.payload)["voucher_id"], []).append(r.id)
    if any(len(ids) > 1 for ids in kept.values()):
        fail(f"one multiplier voucher multiplied several sales: {[v for v in kept.values() if len(v) > 1][:2]}")
    fx_flags = q(select(m.flags.c.entry_id).where(m.flags.c.kind == "fx_mismatch"))
    honest_ids = {r.id for r in server_entries.values() if r.terminal_id != hostile.t.terminal_id}
    if any(f.entry_id in honest_ids for f in fx_flags):
        fail(f"an honest terminal's dollar sale was flagged fx_mismatch: {[f.entry_id for f in fx_flags][:3]}")
    mismatched = run_tx(engine, svc.verify_balances)
    if mismatched:
        fail(f"server balances differ from the sum of entries: {mismatched[:3]}")
    for t in terms:
        ledger = t.services.ledger
        with ledger.read() as conn:
            local = {r[0]: r[1] for r in conn.exec_driver_sql(
                "SELECT id, content_hash FROM entries WHERE origin = 'local'").all()}
            every = {r[0] for r in conn.exec_driver_sql("SELECT id FROM entries").all()}
            max_seq = ledger.sync_max_seq(conn)
            flagged = {r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM members WHERE flagged IS NOT NULL").all()}
            members_here = {r[0] for r in conn.exec_driver_sql("SELECT id FROM members").all()}
        state = LedgerSyncStore(ledger).state()
        if state.acked_seq != max_seq or applied.get(t.terminal_id) != max_seq:
            fail(f"terminal {t.index}: outbox {max_seq}, acked {state.acked_seq}, "
                 f"server applied {applied.get(t.terminal_id)}")
        for entry_id, content in local.items():
            held = server_entries.get(entry_id)
            if held is None:
                fail(f"terminal {t.index}: entry {entry_id} lost")
            if held.content_hash != content:
                fail(f"terminal {t.index}: entry {entry_id} differs on the server")
        from_here = {e for e, row in server_entries.items() if row.terminal_id == t.terminal_id}
        if from_here != set(local):
            fail(f"terminal {t.index}: server holds {len(from_here)} of its entries, it made {len(local)}")
        mirrored = set(server_balances) if world.scope != "branch" else linked.get(t.branch, set())
        visible = {e for e, row in server_entries.items()
                   if (not row.quarantined or row.for_terminal_id == t.terminal_id)
                   and (row.member_id in mirrored or row.terminal_id == t.terminal_id)}
        if every != visible:
            extra = [(e, server_entries[e].kind, server_entries[e].quarantined) if e in server_entries else (e, "not on the server")
                     for e in sorted(every - visible)[:3]]
            missing = [(e, server_entries[e].kind, server_entries[e].terminal_id) for e in sorted(visible - every)[:3]]
            fail(f"terminal {t.index}: holds {len(every)} entries, the server {len(visible)} for it "
                 f"(held here only: {extra}; on the server only: {missing})")
        verify = ledger.verify()
        if not verify.ok:
            fail(f"terminal {t.index}: ledger verify failed {verify}")
        balances = {mid: bal for mid, bal in _balances(t).items()}
        if balances != {k: v for k, v in server_balances.items() if k in members_here} or \
                members_here != mirrored:
            diff = {k: (balances.get(k), server_balances.get(k)) for k in set(balances) | set(server_balances)
                    if balances.get(k) != server_balances.get(k)}
            fail(f"terminal {t.index}: balances differ from the server: {list(diff.items())[:3]}")
        blocked = {r.id for r in q(select(m.members.c.id).where(m.members.c.offline_blocked.is_(True)))} & mirrored
        if flagged != blocked:
            fail(f"terminal {t.index}: flagged members {sorted(flagged)} != server's {sorted(blocked)}")
    # The hostile terminal moved nothing.
    hostile_id = hostile.t.terminal_id
    if applied.get(hostile_id) != len(hostile.t.outbox) or hostile.acked != len(hostile.t.outbox):
        fail(f"hostile terminal: outbox {len(hostile.t.outbox)}, acked {hostile.acked}, "
             f"server applied {applied.get(hostile_id)}")
    if hostile.bad_time_accepted:
        fail(f"non-canonical sale times accepted: {hostile.bad_time_accepted[:3]}")
    compensations = {row.corrects_id: row for row in server_entries.values()
                     if row.quarantined and row.terminal_id == records.SERVER_TERMINAL_ID}
    for entry_id, points in hostile.forged.items():
        held = server_entries.get(entry_id)
        if held is None or not held.quarantined:
            fail(f"forged record {entry_id} ({points} points) was {'lost' if held is None else 'applied'}")
        comp = compensations.get(entry_id)
        if comp is None or comp.points != -points or comp.for_terminal_id != hostile_id:
            fail(f"forged record {entry_id}: no compensation to its terminal")
    netted: dict[str, int] = {}
    for row in server_entries.values():
        if row.quarantined:
            netted[row.member_id] = netted.get(row.member_id, 0) + row.points
            if row.terminal_id not in (hostile_id, records.SERVER_TERMINAL_ID):
                fail(f"an honest terminal's record {row.id} was quarantined")
    if any(netted.values()):
        fail(f"quarantined entries moved balances: {[(k, v) for k, v in netted.items() if v][:3]}")
    offline_redeemed: dict[str, int] = {}
    overdraft: dict[str, int] = {}
    for row in server_entries.values():
        if row.quarantined:
            continue  # checked below: quarantined pairs net to zero
        payload = json.loads(row.payload)
        if row.kind == "redeem" and payload["offline"]:
            if -row.points > POLICY["max_points_per_redemption"]:
                fail(f"offline redemption of {-row.points} points over the per-redemption limit")
            offline_redeemed[row.member_id] = offline_redeemed.get(row.member_id, 0) - row.points
        if row.kind == "overdraft":
            overdraft[row.member_id] = overdraft.get(row.member_id, 0) + row.points
    for member_id, points in overdraft.items():
        report.overdrafts += 1
        if points > offline_redeemed.get(member_id, 0):
            fail(f"member {member_id}: overdraft {points} > offline redemptions {offline_redeemed.get(member_id)}")
        state_blocked = q(select(m.members.c.offline_blocked).where(m.members.c.id == member_id))[0][0]
        if not state_blocked:
            fail(f"member {member_id} overdrawn but not flagged")
    for member_id, balance in server_balances.items():
        if balance < 0:
            fail(f"member {member_id} has a negative balance {balance} on the server")
    _check_vouchers(terms, q, fail, report)
    del by_id


def _check_vouchers(terms: list[SimTerm], q: Any, fail: Any, report: Report) -> None:
    """Vouchers: every use a counter made reached the server once (nothing lost, nothing twice); each voucher
    has exactly one first use; a second use only ever involves a use honoured offline (online, the server
    never accepts one twice), is flagged with its value, and the loss stays within what was honoured offline."""
    from pos_app.ledger import vouchers as voucher_store

    server_uses = {u.operation_id: u for u in q(select(m.voucher_uses))}
    local: dict[str, Any] = {}
    for t in terms:
        with t.services.ledger.read() as conn:
            for row in voucher_store.uses(conn, 0, 2**62):
                local[row.op_id] = row
                u = server_uses.get(row.op_id)
                if row.acked_at_ms is None or u is None:
                    fail(f"voucher use {row.op_id} of terminal {t.index} never reached the server")
                elif (int(u.value_satang), u.terminal_id, bool(u.conflict)) != (
                        row.value_satang, t.terminal_id, bool(row.conflict)):
                    fail(f"voucher use {row.op_id}: the server holds {u} for the terminal's {row}")
    if set(server_uses) - set(local):
        fail(f"the server holds voucher uses no counter made: {sorted(set(server_uses) - set(local))[:3]}")
    groups: dict[str, list[Any]] = {}
    for u in server_uses.values():
        groups.setdefault(u.voucher_id, []).append(u)
    flagged = {}
    for f in q(select(m.flags).where(m.flags.c.kind == "voucher_conflict")):
        details = json.loads(f.details)
        flagged[details["operation_id"]] = int(details["value_satang"])
    honoured_offline = sum(r.face_value_satang for r in local.values() if r.offline)
    loss = 0
    for voucher_id, group in groups.items():
        report.count(report.operations, "voucher_used" if len(group) == 1 else "voucher_conflict")
        if sum(not u.conflict for u in group) != 1:
            fail(f"voucher {voucher_id}: {sum(not u.conflict for u in group)} uses counted as its one use")
        if len(group) > 1 and not any(local[u.operation_id].offline for u in group if u.operation_id in local):
            fail(f"voucher {voucher_id} was accepted twice online")
        status = q(select(m.vouchers.c.status).where(m.vouchers.c.id == voucher_id))[0][0]
        if status != "used":
            fail(f"voucher {voucher_id} is {status} on the server after {len(group)} use(s)")
        for u in group:
            if u.conflict:
                loss += int(u.value_satang)
                if flagged.get(u.operation_id) != int(u.value_satang):
                    fail(f"the second use {u.operation_id} of voucher {voucher_id} is not flagged with its value")
    if loss > honoured_offline:
        fail(f"voucher loss {loss} exceeds the value honoured offline {honoured_offline}")


SERVER_STATE = {  # table: columns left out (made from random keys, salts or wall time when the template was built)
    "entries": (), "members": ("member_code",), "flags": (), "reservations": (), "received": (),
    "upload_batches": (), "terminals": ("credential_sha256", "enrolled_at", "credential_expires_at", "name",
                                        "app_version"),
    "rewards": (), "counters": (), "vouchers": ("code",), "voucher_uses": (), "voucher_multiplied": (),
}
TERMINAL_STATE = {"entries": (), "balances": (), "members": ("member_code",), "outbox": (), "operations": (),
                  "meta": (), "rewards": (), "voucher_uses": ("code",)}


def _dump(conn: Any, table: str, leave_out: tuple[str, ...]) -> list[Any]:
    rows = conn.exec_driver_sql(f'SELECT * FROM "{table}"').mappings().all()  # noqa: S608 - fixed table names
    out = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if k not in leave_out}
           for row in rows]
    return sorted(out, key=lambda row: json.dumps(row, sort_keys=True, default=str))


def state_digest(world: World, terms: list[SimTerm]) -> str:
    """sha256 of the final state: the server's tables and every terminal's ledger (rows sorted; columns that
    come from random keys or salts left out). Two runs of a seed give the same digest."""
    engine = world.proxy.target
    assert engine is not None
    with engine.connect() as conn:
        state: dict[str, Any] = {"server": {t: _dump(conn, t, cols) for t, cols in SERVER_STATE.items()}}
    for t in terms:
        with t.services.ledger.read() as conn:
            state[f"terminal {t.index}"] = {name: _dump(conn, name, cols) for name, cols in TERMINAL_STATE.items()}
            # the joined terminal's key certificate is signed by keys made at random when the template was built
            state[f"terminal {t.index}"]["meta"] = [row for row in state[f"terminal {t.index}"]["meta"]
                                                    if row["key"] != "terminal_certificate"]
    text = json.dumps(state, sort_keys=True, default=str, indent=1)
    if os.environ.get("SIM_STATE_DUMP"):  # to see what differs between two runs: diff the two files
        Path(os.environ["SIM_STATE_DUMP"]).write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _balances(t: SimTerm) -> dict[str, int]:
    with t.services.ledger.read() as conn:
        return {r[0]: int(r[1]) for r in conn.exec_driver_sql("SELECT member_id, points FROM balances").all()}


def run_chunk(seeds: list[int], config: Config | None = None, stop_on_failure: bool = False,
              trace: bool = False) -> dict[str, Any]:
    """Run ``seeds`` in this process on one World; returns counts and the failures (seed -> text)."""
    import traceback

    config = config or Config()
    world = World(terminals=config.terminals)
    failures: dict[int, str] = {}
    totals: dict[str, int] = {}
    states: dict[int, str] = {}
    overdrafts = 0
    try:
        for seed in seeds:
            try:
                report = run_seed(world, seed, config)
            except Exception as exc:  # noqa: BLE001 - every failure is reported with its seed
                failures[seed] = "".join(traceback.format_exception_only(type(exc), exc)).strip() \
                    if isinstance(exc, SimFailure) else traceback.format_exc()
                if stop_on_failure:
                    break
                continue
            overdrafts += report.overdrafts
            states[seed] = report.state
            if trace:
                print("\n".join(report.trace))
                print({k: round(v, 3) for k, v in report.seconds.items()})
            for bucket in (report.operations, report.faults):
                for key, value in bucket.items():
                    totals[key] = totals.get(key, 0) + value
    finally:
        world.close()
    return {"seeds": len(seeds), "failures": failures, "totals": totals, "overdrafts": overdrafts, "states": states}


def run_many(seeds: list[int], workers: int = 1, config: Config | None = None,
             trace: bool = False) -> dict[str, Any]:
    """Run seeds split over ``workers`` processes (spawned: each builds its own World)."""
    if workers <= 1 or len(seeds) < 2:
        return run_chunk(seeds, config, trace=trace)
    import multiprocessing

    chunks = [seeds[i::workers] for i in range(workers)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        parts = pool.starmap(run_chunk, [(chunk, config) for chunk in chunks])
    merged: dict[str, Any] = {"seeds": 0, "failures": {}, "totals": {}, "overdrafts": 0, "states": {}}
    for part in parts:
        merged["seeds"] += part["seeds"]
        merged["states"].update(part["states"])
        merged["failures"].update(part["failures"])
        merged["overdrafts"] += part["overdrafts"]
        for key, value in part["totals"].items():
            merged["totals"][key] = merged["totals"].get(key, 0) + value
    return merged
