"""A member card right away on an enrolled terminal, even offline: the terminal's own key is certified by the
server at enrollment, its cards carry that certificate, any terminal of the chain verifies them offline, and
revoking the terminal makes every terminal that has synced refuse them."""

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
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


def test_an_offline_enrolled_terminal_prints_a_card_the_whole_chain_trusts_until_revoked(
        demo: DemoServer, tmp_path: Path) -> None:
    codes = demo.read_banner()
    t1, t2 = tmp_path / "t1", tmp_path / "t2"
    t1_id = cli(t1, "enroll", "--server", demo.url, "--code", codes[0])["terminal_id"]
    cli(t2, "enroll", "--server", demo.url, "--code", codes[1])

    demo.stop()  # the mall's network is down: enrollment at the counter goes on
    member = cli(t1, "member", "enroll", "--name", "Offline Card", "--phone", "0897771234")
    assert member["member_code"].startswith("LT1:DEMO1:T")
    card = cli(t1, "card", "render", "--member", "0897771234", "--out", str(tmp_path / "card.png"))
    assert card["verified"] and card["member_id"] == member["id"] and (tmp_path / "card.png").stat().st_size > 0
    # terminal 2 never heard of terminal 1's key, and is offline too: the card is genuine, the member not here yet
    assert "genuine" in refused(t2, "member", "show", member["member_code"])

    demo.start()
    cli(t1, "sync", "--once")
    cli(t2, "sync", "--once")
    assert cli(t2, "member", "show", member["member_code"])["id"] == member["id"]
    assert cli(t2, "card", "render", "--member", member["card_no"], "--out", str(tmp_path / "c2.png"))["verified"]

    admin = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
    revoke = httpx.post(f"{demo.url}/admin/v1/terminals/{t1_id}/revoke", headers=admin, timeout=10)
    assert revoke.status_code == 200, revoke.text
    cli(t2, "sync", "--once")
    assert "revoked" in refused(t2, "member", "show", member["member_code"])
    # the member is still found by the card number printed on the same card
    assert cli(t2, "member", "show", member["card_no"])["id"] == member["id"]
