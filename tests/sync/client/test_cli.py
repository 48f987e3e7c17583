"""``pos-terminal enroll`` / ``sync --once`` / ``sync status``: clear one-line refusals, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

from click.testing import CliRunner

from pos_app.cli import cli
from tests.sync.client.harness import Term

MakeTerm = Callable[..., Term]


def run(data_dir: object, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_terminal_with_records_that_cannot_reach_the_server_stays_standalone(terminal: MakeTerm) -> None:
    # A standalone terminal with members may join a chain (tests/sync/server/test_takeover.py); when the server
    # cannot be reached, it says so in one line and stays as it was.
    t = terminal("demo", enroll=False)
    t.services.members.enroll(name="Local", phone="0811112222", operator_id="cashier1")
    t.close()
    code, out, err = run(t.data_dir, "enroll", "--server", "http://127.0.0.1:9", "--code", "ABCD-EFGH-JKLM")
    assert code == 1 and "Cannot reach the loyalty server" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, _err = run(t.data_dir, "sync", "status")
    assert code == 0 and "standalone" in out
    code, out, err = run(t.data_dir, "enroll", "--server", "ftp://x", "--code", "ABCD")
    assert code == 2 and "http://" in err


def test_sync_status_and_sync_once_on_a_standalone_terminal(terminal: MakeTerm) -> None:
    t = terminal("solo", enroll=False)
    t.close()
    code, out, _err = run(t.data_dir, "sync", "status")
    assert code == 0 and "standalone" in out
    code, _out, err = run(t.data_dir, "sync", "--once")
    assert code == 2 and "not connected to a loyalty server" in err


def test_sync_once_when_the_server_cannot_be_reached_keeps_everything(terminal: MakeTerm) -> None:
    t = terminal("a")  # enrolled with the in-process server at http://testserver (unreachable for the CLI)
    t.services.members.enroll(name="Queued", phone="0811113333", operator_id="cashier1")
    t.close()
    code, _out, err = run(t.data_dir, "sync", "--once")
    assert code == 1 and "Cannot reach the loyalty server" in err and "Traceback" not in err
    code, out, _err = run(t.data_dir, "--json", "sync", "status")
    status = json.loads(out)
    # the member and its two consent records (the program, marketing)
    assert code == 0 and status["queued"] == 3 and "unreachable" in status["last_sync_error"]
    assert status["mode"] == "enrolled" and status["branch_id"] == "BKK01"
    code, out, _err = run(t.data_dir, "sync", "status")
    assert "Waiting to be sent: 3 records" in out and "Last error" in out


def test_sync_client_imports_nothing_of_pos_app_and_no_qt() -> None:
    code = ("import sys, sync.client, sync.client.worker; "
            "bad = [m for m in sys.modules if m.startswith(('pos_app', 'PySide6'))]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
