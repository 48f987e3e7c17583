"""``pos-terminal redeem`` on an enrolled terminal: online it reserves on the server (and the server's
"not enough points" is final), offline it applies the allowance the server sent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import BIN, DemoServer, cli


def refused(data_dir: Path, *args: str) -> str:
    out = subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data_dir), "--lang", "en", *args],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
    return out.stderr.strip()


def test_redeem_command_is_online_first_and_bounded_offline(demo: DemoServer, tmp_path: Path) -> None:
    code = demo.read_banner()[0]
    t1 = tmp_path / "t1"
    cli(t1, "enroll", "--server", demo.url, "--code", code)
    member_id = cli(t1, "member", "enroll", "--name", "Online", "--phone", "0897776655")["id"]
    cli(t1, "award", "--member", member_id, "--amount", "50000", "--receipt", "C-1")  # 2000 points
    cli(t1, "sync", "--once")
    online = cli(t1, "redeem", "--member", member_id, "--points", "700", "--manager-pin", "9999")
    assert online["balance_after"] == 1300
    cli(t1, "sync", "--once")
    assert demo.balance(member_id) == 1300
    # another counter spends on the server meanwhile: the server's "not enough points" is final here
    admin = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
    demo_adjust = httpx.post(f"{demo.url}/admin/v1/members/{member_id}/adjust", headers=admin, timeout=10,
                             json={"points": -300, "reason": "spent elsewhere", "by": "manager-1"})
    assert demo_adjust.status_code == 200, demo_adjust.text
    assert "enough points" in refused(t1, "redeem", "--member", member_id, "--points", "1001",
                                      "--manager-pin", "9999")
    cli(t1, "sync", "--once")

    demo.stop()
    assert cli(t1, "balance", "--member", member_id)["balance"] == 1000
    # offline: within the demo allowance (500 per redemption) it goes through, above it is refused clearly
    assert cli(t1, "redeem", "--member", member_id, "--points", "100")["balance_after"] == 900
    message = refused(t1, "redeem", "--member", member_id, "--points", "501", "--manager-pin", "9999")
    assert "Offline, one redemption may use at most 500 points" in message
    assert cli(t1, "balance", "--member", member_id)["balance"] == 900
