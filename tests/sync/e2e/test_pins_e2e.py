"""Wrong PINs end to end over HTTP: ``loyalty-server serve --demo`` as a real process on loopback, a terminal
enrolled with ``pos-terminal enroll``; its audit records reach the server, raise ``pin_failures`` and
``pin_lockout`` flags (HTTP and ``loyalty-server flags list``); head office unlocks a PIN and disables a staff
member, and the terminal obeys after its next sync."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from pos_app.core.pins import GuardPolicy
from pos_app.services import Approval, sync_glue
from pos_app.services.errors import NotAllowed, PinLocked
from pos_app.services.terminal import open_terminal
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import BIN, DemoServer, cli, free_port

ADMIN = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}


def test_wrong_pins_reach_head_office_which_unlocks_and_disables(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_PIN_WAVE_FAILURES", "6")
    server = DemoServer(tmp_path / "server", free_port())
    server.start()
    try:
        code = server.read_banner()[0]
        t1 = tmp_path / "t1"
        terminal_id = cli(t1, "enroll", "--server", server.url, "--code", code)["terminal_id"]
        member_id = cli(t1, "member", "enroll", "--name", "Somchai", "--phone", "0891112233")["id"]
        services = open_terminal(t1)
        services.pin_policy = GuardPolicy(base_delay_seconds=0, lock_after=4)
        client = sync_glue.make_client(services, timeout=10.0)
        try:
            # a cashier guesses PIN-only approvals until approval locks on this terminal...
            for guess in ("0000", "1234", "2580", "1212"):
                with pytest.raises(NotAllowed) as refused:
                    services.adjust(member_id=member_id, points=50, reason="guess", operator_id="cashier1",
                                    approval=Approval(pin=guess))
            assert isinstance(refused.value, PinLocked)
            # ...then names the manager: their own count locks them too
            for guess in ("5555", "7777", "8888", "4444"):
                with pytest.raises(NotAllowed):
                    services.adjust(member_id=member_id, points=50, reason="guess", operator_id="cashier1",
                                    approval=Approval(pin=guess, manager_id="manager1"))
            with pytest.raises(PinLocked, match="PIN is locked"):
                services.adjust(member_id=member_id, points=50, reason="x", operator_id="cashier1",
                                approval=Approval(pin="9999", manager_id="manager1"))
            client.sync_once()

            flags = httpx.get(f"{server.url}/admin/v1/flags", headers=ADMIN, timeout=10).json()
            kinds = sorted(f["kind"] for f in flags if f["terminal_id"] == terminal_id)
            assert kinds == ["pin_failures", "pin_lockout", "pin_lockout"]
            staff_lock = next(f for f in flags if f["kind"] == "pin_lockout" and f["details"]["staff_id"])
            assert staff_lock["details"]["staff_id"] == "manager1"
            assert staff_lock["details"]["operator_id"] == "cashier1"
            wave = next(f for f in flags if f["kind"] == "pin_failures")
            assert wave["details"]["failures"] >= 6
            db = f"sqlite:///{tmp_path / 'server' / 'loyalty-demo.sqlite3'}"
            listed = subprocess.run([str(BIN / "loyalty-server"), "--database-url", db, "flags", "list"],
                                    capture_output=True, text=True, timeout=60)
            assert listed.returncode == 0 and "pin_lockout" in listed.stdout and "pin_failures" in listed.stdout
            audit = httpx.get(f"{server.url}/admin/v1/audit", params={"terminal_id": terminal_id},
                              headers=ADMIN, timeout=10).json()
            assert sum(a["event"] == "pin_failed" for a in audit) == 8
            assert {a["terminal_id"] for a in audit} == {terminal_id}

            # head office unlocks manager1 everywhere: after the next pull, the named approval works again
            r = httpx.post(f"{server.url}/admin/v1/staff/manager1/unlock", headers=ADMIN, json={"by": "HO Somsak"},
                           timeout=10)
            assert r.status_code == 200, r.text
            client.sync_once()
            done = services.adjust(member_id=member_id, points=50, reason="goodwill", operator_id="cashier1",
                                   approval=Approval(pin="9999", manager_id="manager1"))
            assert done.approved_by == "manager1"
            unlocked = [a for a in services.audit_log() if a.event == "pin_unlocked"]
            assert unlocked[0].details["by"] == "head office"
            open_flags = httpx.get(f"{server.url}/admin/v1/flags", headers=ADMIN, timeout=10).json()
            assert not [f for f in open_flags if f["kind"] == "pin_lockout" and f["details"]["staff_id"]]

            # head office disables the cashier everywhere: this terminal refuses their PIN after a pull
            assert services.login_by_pin("1111").id == "cashier1"
            r = httpx.put(f"{server.url}/admin/v1/staff/cashier1", headers=ADMIN, timeout=10,
                          json={"name": "สมหญิง (cashier)", "role": "cashier", "active": False})
            assert r.status_code == 200, r.text
            client.sync_once()
            with pytest.raises(NotAllowed, match="wrong PIN"):
                services.login_by_pin("1111")
            assert "cashier1" not in {s.id for s in services.staff()}
        finally:
            client.close()
            services.close()
    finally:
        server.stop()


def test_head_office_refuses_weak_pins_but_keeps_the_demo_ones(tmp_path: Path) -> None:
    server = DemoServer(tmp_path / "server", free_port())
    server.start()
    try:
        r = httpx.put(f"{server.url}/admin/v1/staff/m2", headers=ADMIN, timeout=10,
                      json={"name": "M2", "role": "manager", "pin": "1234", "active": True})
        assert r.status_code == 422 and r.json()["error"]["code"] == "weak_pin"
        assert "at least 6 digits" in r.json()["error"]["message"]
        r = httpx.put(f"{server.url}/admin/v1/staff/m2", headers=ADMIN, timeout=10,
                      json={"name": "M2", "role": "manager", "pin": "482916", "active": True})
        assert r.status_code == 200, r.text
        snapshot = json.loads(subprocess.run(
            [str(BIN / "loyalty-server"), "--json", "--database-url",
             f"sqlite:///{tmp_path / 'server' / 'loyalty-demo.sqlite3'}", "staff", "list"],
            capture_output=True, text=True, timeout=60).stdout)
        assert {s["id"] for s in snapshot} == {"cashier1", "manager1", "m2"}  # the demo's 1111/9999 stay
    finally:
        server.stop()
