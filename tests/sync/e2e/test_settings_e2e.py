"""[sync] server_url and interval_seconds apply to the sync service (``pos-terminal sync``), against the real
demo server on loopback (issue 10)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import httpx

from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import BIN, DemoServer, cli, free_port


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data), "--lang", "en", *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "POS_CONFIG": ""})


def test_server_url_and_interval_of_terminal_toml_are_what_the_sync_service_uses(demo: DemoServer,
                                                                                  tmp_path: Path) -> None:
    code = demo.read_banner()[0]
    data = tmp_path / "t1"
    cli(data, "enroll", "--server", demo.url, "--code", code)
    from pos_app.core.version import app_version

    listed = httpx.get(f"{demo.url}/admin/v1/terminals", timeout=10,
                       headers={"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}).json()
    assert [t["app_version"] for t in listed] == [app_version()]  # head office sees the version
    toml = data / "terminal.toml"
    moved = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    toml.write_text(f'[sync]\nserver_url = "{moved}"\ninterval_seconds = 3\n', encoding="utf-8")
    once = _run(data, "sync", "--once")
    assert once.returncode == 1 and "Cannot reach the loyalty server" in once.stderr
    assert json.loads(_run(data, "--json", "sync", "status").stdout)["server_url"] == moved

    toml.write_text(f'[sync]\nserver_url = "{demo.url}"\ninterval_seconds = 3\n', encoding="utf-8")
    assert _run(data, "sync", "--once").returncode == 0
    service = subprocess.Popen([str(BIN / "pos-terminal"), "--data-dir", str(data), "--lang", "en", "sync"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "POS_CONFIG": ""}, start_new_session=True)
    try:
        assert service.stderr is not None and service.stdout is not None
        assert service.stderr.readline().strip() == f"Syncing with {demo.url} every 3 s (Ctrl-C stops)."
        assert service.stdout.readline().startswith("Synced: 0 records sent")
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(30)


def test_an_expired_terminal_is_enrolled_again_from_the_command_line_keeping_its_id(demo: DemoServer,
                                                                                    tmp_path: Path) -> None:
    from sync.server import service as svc
    from sync.server.app import run_tx
    from sync.server.db import make_engine

    code = demo.read_banner()[0]
    data = tmp_path / "t1"
    terminal_id = cli(data, "enroll", "--server", demo.url, "--code", code)["terminal_id"]
    member = cli(data, "member", "enroll", "--name", "Kept", "--phone", "0891112233")["id"]
    engine = make_engine(f"sqlite:///{demo.demo_dir / 'loyalty-demo.sqlite3'}")
    try:
        run_tx(engine, lambda c: svc.expire_credential(c, terminal_id, svc.utcnow()))
    finally:
        engine.dispose()
    expired = _run(data, "sync", "--once")
    assert expired.returncode == 1 and "enroll --again --code CODE" in expired.stderr
    assert "BAD  credential" not in _run(data, "doctor").stdout  # the local file does not know yet: no false alarm

    admin = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
    fresh = httpx.post(f"{demo.url}/admin/v1/enrollment-codes", json={"branch": "BKK01"}, headers=admin,
                       timeout=10).json()["code"]
    again = _run(data, "--json", "enroll", "--again", "--code", fresh)
    assert again.returncode == 0, again.stderr
    # still queued: the member and its two consent records
    assert json.loads(again.stdout)["terminal_id"] == terminal_id and json.loads(again.stdout)["queued"] == 3
    assert _run(data, "sync", "--once").returncode == 0
    assert demo.balance(member) == 0  # the member enrolled while expired reached the server under the same id
