"""`pos-terminal app`: a clear one-line refusal without a display; with one, the window opens on demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pos_app.cli import cli
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from pos_app.ui.counter import CounterWindow

NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}


def test_without_a_display_it_says_how_to_run_it_and_exits_non_zero(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    env["POS_LANG"] = "en"
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from pos_app.cli import main; sys.exit(main())", "--data-dir", str(tmp_path / "t"), "app", "--demo"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # one line, no traceback
    assert "No display" in lines[0] and "xvfb-run -a pos-terminal app" in lines[0]
    assert not (tmp_path / "t").exists()  # nothing was created


def test_the_no_display_message_is_thai_by_default(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "app"], env=NO_DISPLAY)
    assert result.exit_code != 0
    assert "xvfb-run -a pos-terminal app" in result.output
    assert _("No display found: the counter window needs a screen. On a server or in CI run it as "
             "'xvfb-run -a pos-terminal app'.") in result.output
    assert "Traceback" not in result.output


def test_app_demo_opens_the_window_on_a_fresh_demo_ledger(qapp: Any, tmp_path: Path) -> None:
    """Runs the real command in-process (offscreen); once the window is ready, sign in and close it."""
    data_dir = tmp_path / "fresh"
    seen: dict[str, Any] = {}

    def drive() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, CounterWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, drive)
            return
        win = windows[0]
        seen["demo_hint"] = win.demo_label.isVisibleTo(win)

        def signed_in(staff: Any) -> None:
            seen["staff"] = staff.name
            win.close()

        win.signed_in.connect(signed_in)
        win.error_shown.connect(lambda message: (seen.setdefault("error", message), win.close()))
        win.ready.connect(lambda: (win.pin.setText("1111"), win.sign_in()))
        if win._services is not None:  # already open
            win.pin.setText("1111")
            win.sign_in()

    QTimer.singleShot(0, drive)
    guard = QTimer()  # if the window never came up, end the event loop instead of hanging the suite
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: (seen.setdefault("error", "window never became ready"), qapp.quit()))
    guard.start(60_000)
    try:
        result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "app", "--demo"],
                                    env={"QT_QPA_PLATFORM": "offscreen"}, catch_exceptions=False)
    finally:
        guard.stop()
    assert result.exit_code == 0, result.output
    assert "error" not in seen, seen
    assert seen == {"demo_hint": True, "staff": "สมใจ ใจดี"}
    services = open_terminal(data_dir)
    try:
        assert services.members.find_by_phone("0812345678") is not None  # demo members were seeded
    finally:
        services.close()


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", POS_LANG="en")
    return subprocess.run(
        [sys.executable, "-c", "import sys; from pos_app.cli import main; sys.exit(main())", *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_smoke_opens_the_first_screen_then_exits_zero(tmp_path: Path) -> None:
    """Packaging's smoke test: `pos-terminal app --smoke` returns by itself, 0, with the ledger created."""
    data_dir = tmp_path / "smoke"
    done = _run_cli("--data-dir", str(data_dir), "app", "--demo", "--smoke")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    services = open_terminal(data_dir)
    try:
        assert services.members.find_by_phone("0812345678") is not None  # the window really opened the ledger
    finally:
        services.close()


def test_smoke_fails_with_one_clear_line_when_the_ledger_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    done = _run_cli("--data-dir", str(blocker / "terminal"), "app", "--smoke")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert str(blocker / "terminal") in done.stderr
