"""After an unattended install the counter window comes back in the new version, and it only makes way for the
install when the counter is idle (issue 10). The decision is Qt-free (pos_app.updates.restart_due, from the files
the sync service and `update apply` write); `pos-terminal counter` (what the autostart entry runs) is run for
real with a stand-in window program. The window's side (signal, never while signed in) is tests/ui/
test_update_restart_window.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pos_app import updates

NIGHT = datetime.fromisoformat("2026-12-01T03:00+07:00")
WINDOW = {"start": "02:00", "end": "04:00"}
BIN = Path(sys.executable).parent


def waiting(data: Path, version: str = "0.2.0", window: dict[str, str] | None = None,
            failed: list[str] | None = None) -> None:
    """The files the sync service (release.json, state.json) and an earlier apply (applied.json) leave."""
    folder = data / "updates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "release.json").write_text(json.dumps({"version": version, "package": f"pos-terminal-{version}.tar.gz"}))
    (folder / "state.json").write_text(json.dumps({"window": window if window is not None else WINDOW}))
    if failed is not None:
        (folder / "applied.json").write_text(json.dumps({"status": "rolled_back", "failed_versions": failed}))


def due(pending: updates.PendingUpdate | None, **kw: object) -> bool:
    args: dict[str, object] = {"signed_in": False, "busy": False, "dialog_open": False, "now": NIGHT,
                               "stepped": None}
    args.update(kw)
    return updates.restart_due(pending, **args)  # type: ignore[arg-type]


PENDING = updates.PendingUpdate("0.2.0", WINDOW)


def test_an_idle_counter_in_the_quiet_time_steps_aside() -> None:
    assert due(PENDING)


@pytest.mark.parametrize("kw", [
    {"signed_in": True},  # a cashier is signed in: a sale may be in progress
    {"busy": True},  # an operation is running
    {"dialog_open": True},  # an approval, a return, a report...
    {"now": NIGHT.replace(hour=5)},  # outside the quiet time
])
def test_never_while_a_cashier_works_or_outside_the_quiet_time(kw: dict[str, object]) -> None:
    assert not due(PENDING, **kw)


def test_no_update_or_no_window_set_means_no_restart() -> None:
    assert not due(None)
    assert not due(updates.PendingUpdate("0.2.0", None))  # head office set no quiet time: never unattended


def test_not_again_for_the_same_version_within_the_hour() -> None:
    stepped = {"version": "0.2.0", "at": (NIGHT - timedelta(minutes=20)).isoformat()}
    assert not due(PENDING, stepped=stepped)  # the timer did not install it: do not close every minute
    assert due(PENDING, stepped={**stepped, "at": (NIGHT - timedelta(minutes=61)).isoformat()})
    assert due(PENDING, stepped={**stepped, "version": "0.1.9"})  # another version: yes
    assert due(PENDING, stepped={"version": "0.2.0", "at": "garbage"})


def test_pending_update_reads_what_the_sync_service_left(tmp_path: Path) -> None:
    assert updates.pending_update(tmp_path, "0.1.0") is None  # nothing downloaded
    waiting(tmp_path)
    assert updates.pending_update(tmp_path, "0.1.0") == PENDING
    assert updates.pending_update(tmp_path, "0.2.0") is None  # already running it
    waiting(tmp_path, failed=["0.2.0"])
    assert updates.pending_update(tmp_path, "0.1.0") is None  # rolled back before: not tried again
    (tmp_path / "updates" / "release.json").write_text("{not json")
    assert updates.pending_update(tmp_path, "0.1.0") is None


def test_stepping_aside_is_remembered(tmp_path: Path) -> None:
    updates.note_stepped_aside(tmp_path, "0.2.0", NIGHT)
    stepped = updates.read_stepped(tmp_path)
    assert stepped == {"version": "0.2.0", "at": NIGHT.isoformat()}
    assert (tmp_path / "updates" / "stepped-aside.json").stat().st_mode & 0o777 == 0o600
    assert not due(PENDING, stepped=stepped)


# ------------------------------------------------------------------------------------------- pos-terminal counter
STAND_IN = r"""#!/bin/sh
# a stand-in window: the first run steps aside (exit 75) and the "update timer" installs meanwhile; then it runs
echo "window $* session=$POS_COUNTER_SESSION" >> "$LOG"
if [ ! -f "$LOG.stepped" ]; then
    touch "$LOG.stepped"
    [ -n "$INSTALLS" ] && (sleep 0; rm -f "$DATA/updates/release.json"; echo installed > "$LOG.installed")
    exit 75
fi
exit "${LATER:-0}"
"""


def counter(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    program = tmp_path / "window.sh"
    program.write_text(STAND_IN)
    program.chmod(0o755)
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    waiting(data)
    full = {**os.environ, "LOG": str(tmp_path / "log"), "DATA": str(data), "POS_LANG": "en", **env}
    return subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data), "counter", "--program", str(program),
                           "--wait-seconds", env.get("WAIT", "600"), "--poll-seconds", "0.05"],
                          capture_output=True, text=True, env=full, timeout=120, check=False)


def test_counter_opens_the_window_again_once_the_update_is_installed(tmp_path: Path) -> None:
    result = counter(tmp_path, INSTALLS="1")
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert (tmp_path / "log").read_text().splitlines() == [f"window --data-dir {data} app session=1"] * 2
    assert (tmp_path / "log.installed").is_file()
    assert result.stderr == ("The counter window closed for an update; it opens again when the install is done (at "
                             "most 10 minutes).\n")


def test_counter_opens_the_window_again_when_no_install_comes(tmp_path: Path) -> None:
    result = counter(tmp_path, WAIT="0")  # the timer never ran: the window comes back in the version it has
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "log").read_text().splitlines()) == 2


def test_counter_ends_with_the_window_and_passes_on_its_failure(tmp_path: Path) -> None:
    (tmp_path / "log.stepped").touch()  # the window runs and is closed (no update)
    assert counter(tmp_path).returncode == 0
    assert len((tmp_path / "log").read_text().splitlines()) == 1
    failed = counter(tmp_path, LATER="3")  # e.g. no display
    assert failed.returncode == 3
