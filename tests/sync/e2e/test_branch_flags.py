"""The flags sync raises reach the store: two terminals of one branch redeem offline beyond the member's balance,
the server records an overdraft and flags it; after their next sync both counters hold the branch's open flag
(``GET /v1/flags`` on the real server over loopback), a manager acknowledges it at the store, and once head
office resolves it the next sync takes it off the counters."""

from __future__ import annotations

from pathlib import Path

import httpx

from pos_app.services import StaffView, sync_glue
from pos_app.services.backoffice import acknowledge_flag, branch_flags
from pos_app.services.errors import NotAllowed, NotFound
from pos_app.services.terminal import open_terminal
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import DemoServer, cli

ADMIN = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}


def test_an_overdraft_flag_reaches_both_counters_of_the_branch_and_is_acknowledged(demo: DemoServer,
                                                                                 tmp_path: Path) -> None:
    codes = demo.read_banner()
    dirs = [tmp_path / "t1", tmp_path / "t2"]
    ids = [cli(d, "enroll", "--server", demo.url, "--code", c)["terminal_id"] for d, c in zip(dirs, codes, strict=True)]
    services = [open_terminal(d) for d in dirs]
    try:
        for s in services:
            sync_glue.install(s)
        clients = [sync_glue.make_client(s, timeout=2.0) for s in services]
        member = services[0].members.enroll(name="Somsri", phone="0891234567", operator_id="cashier1")
        services[0].award(member_id=member.id, amount_satang=1_000_000, receipt_ref="FL-1", operator_id="cashier1")
        clients[0].sync_once()
        clients[1].sync_once()
        assert branch_flags(services[0]).flags == [] and branch_flags(services[0]).fetched_at_ms is not None

        demo.stop()
        for s, c in zip(services, clients, strict=True):
            sync_glue.redeem(s, c, member_id=member.id, points=300, operator_id="cashier1")
        demo.start()
        clients[0].sync_once()
        clients[1].sync_once()  # its redemption overdraws the member: the server flags it
        clients[0].sync_once()  # terminal 1 learns of the flag raised on terminal 2's record

        for s, raised_here in zip(services, (False, True), strict=True):
            (flag,) = [f for f in branch_flags(s).flags if f.kind == "overdraft"]
            assert (flag.member_id, flag.member_name, flag.terminal_id, flag.this_terminal) == (
                member.id, "Somsri", ids[1], raised_here)
            assert flag.acknowledged_by is None and flag.raised_at_ms is not None

        manager = StaffView("manager-1", "Manee", "manager")
        key = next(f.key for f in branch_flags(services[0]).flags if f.kind == "overdraft")
        with_ack = acknowledge_flag(services[0], key, manager)
        (acked,) = [f for f in with_ack.flags if f.key == key]
        assert acked.acknowledged_by == "manager-1" and acked.acknowledged_at_ms is not None
        assert acknowledge_flag(services[0], key, manager) == with_ack  # twice: the first one stands
        try:
            acknowledge_flag(services[0], key, StaffView("cashier1", "Somchai", "cashier"))
            raise AssertionError("a cashier acknowledged a flag")
        except NotAllowed as refused:
            assert (refused.code, refused.message) == ("not_allowed", "Somchai is not allowed to do this (needs manager).")
        # acknowledged at one store's counter, still open for the other and at head office
        assert next(f for f in branch_flags(services[1]).flags if f.key == key).acknowledged_by is None

        flag_id = int(key.split(":")[1])
        r = httpx.post(f"{demo.url}/admin/v1/flags/{flag_id}/resolve", json={"by": "hq", "note": "repaid"},
                       headers=ADMIN, timeout=10)
        assert r.status_code == 200, r.text
        clients[0].sync_once()
        assert [f for f in branch_flags(services[0]).flags if f.key == key] == []
        try:
            acknowledge_flag(services[0], key, manager)
            raise AssertionError("a resolved flag was acknowledged")
        except NotFound as refused:
            assert refused.code == "unknown_flag"
            assert refused.message == f"No flag {key} here: it may have been resolved since."
        for c in clients:
            c.close()
    finally:
        for s in services:
            s.close()


def test_the_flags_endpoint_wants_a_terminal_credential(demo: DemoServer) -> None:
    r = httpx.get(f"{demo.url}/v1/flags", timeout=10)
    assert r.status_code == 401 and r.json()["error"]["code"] == "no_credential"
