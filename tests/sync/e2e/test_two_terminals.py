"""End to end, started the way the README does: ``loyalty-server serve --demo`` as a real process on loopback,
two terminals enrolled with ``pos-terminal enroll``, used online, used while the server is down, brought
back with ``pos-terminal sync --once``: the same balances everywhere.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pos_app.services import sync_glue
from pos_app.services.terminal import open_terminal
from sync.server.demo import DEMO_ADMIN_TOKEN

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DemoServer:
    def __init__(self, demo_dir: Path, port: int) -> None:
        self.demo_dir, self.port = demo_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[str] | None = None
        self.banner = ""

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(BIN / "loyalty-server"), "serve", "--demo", "--demo-dir", str(self.demo_dir), "--port",
             str(self.port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/v1/hello", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, "server exited"
            time.sleep(0.2)
        raise AssertionError("server did not start")

    def read_banner(self) -> list[str]:
        assert self.proc and self.proc.stdout
        lines = []
        for _ in range(12):
            line = self.proc.stdout.readline()
            lines.append(line)
            if "e.g. pos-terminal enroll" in line:
                break
        self.banner = "".join(lines)
        return re.findall(r"enrollment code for terminal \d+: (\S+)", self.banner)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def balance(self, member_id: str) -> int:
        r = httpx.get(f"{self.url}/admin/v1/members/{member_id}",
                      headers={"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}, timeout=10)
        assert r.status_code == 200, r.text
        return int(r.json()["balance"])


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoServer]:
    server = DemoServer(tmp_path / "server", free_port())
    server.start()
    yield server
    server.stop()


def cli(data_dir: Path, *args: str) -> dict:
    out = subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data_dir), "--json", "--lang", "en", *args],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_terminals_offline_and_back_reach_the_same_balances(demo: DemoServer, tmp_path: Path) -> None:
    codes = demo.read_banner()
    assert len(codes) == 2, demo.banner
    dirs = [tmp_path / "t1", tmp_path / "t2"]
    ids = [cli(d, "enroll", "--server", demo.url, "--code", c)["terminal_id"] for d, c in zip(dirs, codes, strict=True)]
    assert ids[0] != ids[1]
    # online: a member enrolled at terminal 1 earns there, syncs, and is known at terminal 2
    member = cli(dirs[0], "member", "enroll", "--name", "Somsri", "--phone", "0891234567", "--operator", "cashier1")
    member_id = member["id"]
    cli(dirs[0], "award", "--member", member_id, "--amount", "10000", "--receipt", "E2E-1", "--operator", "cashier1")
    cli(dirs[0], "sync", "--once")
    cli(dirs[1], "sync", "--once")
    assert cli(dirs[1], "balance", "--member", member_id)["balance"] == demo.balance(member_id) == 400

    # offline: the server goes down; both counters keep working within the allowance (demo: 500 per redemption)
    demo.stop()
    services = [open_terminal(d) for d in dirs]
    try:
        for s in services:
            sync_glue.install(s)
        clients = [sync_glue.make_client(s, timeout=2.0) for s in services]
        cli(dirs[1], "award", "--member", member_id, "--amount", "2500", "--receipt", "E2E-2", "--operator",
            "cashier1")
        r1 = sync_glue.redeem(services[0], clients[0], member_id=member_id, points=300, operator_id="cashier1")
        r2 = sync_glue.redeem(services[1], clients[1], member_id=member_id, points=300, operator_id="cashier1")
        assert r1.points == r2.points == 300
        # the demo policy: 500 per redemption, 1000 per member per terminal -> 500 more allowed here
        assert sync_glue.offline_remaining(services[0], member_id) == 500
        assert services[0].ledger.verify().ok
        assert sync_glue.store_for(services[0]).queued_count() >= 1
        for c in clients:
            c.close()
    finally:
        for s in services:
            s.close()

    # back: the same server (same database) again; both terminals sync
    demo.start()
    cli(dirs[0], "sync", "--once")
    status = cli(dirs[1], "sync", "--once")  # terminal 2 also receives terminal 1's records and the overdraft
    assert status["queued"] == 0
    cli(dirs[0], "sync", "--once")  # terminal 1 receives terminal 2's records
    server_balance = demo.balance(member_id)
    # 400 + 100 earned offline - 600 redeemed offline = -100 -> an overdraft of 100 brings it to 0
    assert server_balance == 0
    for d in dirs:
        s = open_terminal(d)
        try:
            assert s.members.get(member_id).balance == server_balance
            assert s.members.get(member_id).flagged  # the overdraft flag reached every counter
            assert sync_glue.offline_remaining(s, member_id) == 0
            doctor = s.doctor()
            assert doctor["queued_for_upload"] == 0 and not doctor["last_sync_error"]
            assert all(c["ok"] for c in doctor["checks"] if c["check"] in ("balances", "hash_chain"))
        finally:
            s.close()
