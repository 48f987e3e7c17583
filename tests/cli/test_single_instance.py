"""One counter window per data folder, and no restore under a process that has the ledger open (issue 10):
OS file locks, exercised with a real counter window in another process and real ledger files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli
from pos_app.ledger.locks import own_ledger, single_window
from pos_app.services import open_terminal

EXE = Path(sys.executable).parent / "pos-terminal"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock locks")


def _cli(data: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "--lang", "en", *args], catch_exceptions=False)


def _until_held(data: Path, proc: subprocess.Popen[str]) -> None:
    """Wait (no time limit of our own: the window either starts or exits) until the window holds its lock."""
    while True:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "the window exited"
        probe = single_window(data)
        if probe is None:
            return
        probe.release()
        time.sleep(0.2)  # let the window start


def test_restore_is_refused_while_the_counter_window_runs_and_a_second_window_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _cli(data, "init", "--demo").exit_code == 0
    assert _cli(data, "backup").exit_code == 0
    ledger_before = (data / "ledger.sqlite3").stat().st_ino
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "POS_LANG": "en"}
    window = subprocess.Popen([str(EXE), "--data-dir", str(data), "app"], env=env, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _until_held(data, window)
        while (probe := own_ledger(data)) is not None:  # the window opens the ledger right after its lock
            probe.release()
            assert window.poll() is None
            time.sleep(0.2)
        restore = _cli(data, "restore", "--yes")
        assert restore.exit_code == 1
        assert restore.stderr.count("\n") == 1
        assert restore.stderr.startswith(f"Error: The ledger in {data} is open in another program")
        assert "Nothing was changed" in restore.stderr
        assert (data / "ledger.sqlite3").stat().st_ino == ledger_before
        assert not list(data.glob("replaced-by-restore-*"))

        second = subprocess.run([str(EXE), "--data-dir", str(data), "app", "--smoke"], env=env, text=True,
                                capture_output=True, timeout=120)
        assert second.returncode == 1
        assert second.stderr.strip() == (f"Error: The counter window is already open on {data}: use that one "
                                         "(one window per data folder).")
    finally:
        os.killpg(window.pid, signal.SIGKILL)  # the OS drops its locks, even after kill -9
        window.wait(30)
    restore = _cli(data, "restore", "--yes")
    assert restore.exit_code == 0, restore.output
    assert (data / "ledger.sqlite3").stat().st_ino != ledger_before


def test_restore_is_refused_while_this_process_has_the_ledger_open(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _cli(data, "init").exit_code == 0
    assert _cli(data, "backup").exit_code == 0
    services = open_terminal(data)
    try:
        assert _cli(data, "restore", "--yes").exit_code == 1
    finally:
        services.close()
    assert _cli(data, "restore", "--yes").exit_code == 0


def test_a_ledger_cannot_be_opened_while_a_restore_holds_it(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _cli(data, "init").exit_code == 0
    held = own_ledger(data)
    assert held is not None
    try:
        award = _cli(data, "balance", "--member", "0812345678")
        assert award.exit_code == 1
        assert award.stderr == f"Error: The ledger in {data} is being restored from a backup right now: try again " \
                               "in a moment.\n"
    finally:
        held.release()
