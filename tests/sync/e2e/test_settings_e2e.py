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
