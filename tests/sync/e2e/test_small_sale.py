"""A 0-point sale (below one block) recorded at an enrolled counter reaches the server as an ordinary earn:
the server recomputes 0 points from the same rules and raises no ``points_mismatch`` flag."""

from __future__ import annotations

from pathlib import Path

import httpx

from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import DemoServer, cli


def test_a_zero_point_sale_syncs_without_a_flag(demo: DemoServer, tmp_path: Path) -> None:
    code = demo.read_banner()[0]
    t1 = tmp_path / "t1"
    cli(t1, "enroll", "--server", demo.url, "--code", code)
    member_id = cli(t1, "member", "enroll", "--name", "Small", "--phone", "0897776600")["id"]
    small = cli(t1, "award", "--member", member_id, "--amount", "24.99", "--receipt", "S-1")
    assert small["points"] == 0 and small["note"] == "0 points: points start at ฿25"
    cli(t1, "award", "--member", member_id, "--amount", "100", "--receipt", "S-2")
    assert cli(t1, "sync", "--once")["queued"] == 0
    assert demo.balance(member_id) == 4
    flags = httpx.get(f"{demo.url}/admin/v1/flags", params={"member_id": member_id}, timeout=10,
                      headers={"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"})
    assert flags.status_code == 200, flags.text
    assert [f["kind"] for f in flags.json()] == []
