"""Start the counter application: one QApplication, the bundled Thai font, the counter window."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pos_app import updates
from pos_app.core.i18n import _
from pos_app.ui.counter import CounterWindow
from pos_app.ui.fonts import FontError, load_thai_font
from pos_app.ui.gcguard import MainThreadCollector


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName("pos-terminal")
    app.setOrganizationName("loyalty")
    return app


def run(data_dir: Path, *, seed_demo: bool = False, demo_hint: bool = False, smoke: bool = False,
        restartable: bool = False) -> int:
    """Open the counter window on ``data_dir`` and run until it is closed; returns the exit code.

    ``smoke``: open the window, process events until the first screen (sign-in) is shown with the ledger
    open, then close cleanly and return 0 (1 when the ledger could not be opened). Packaging's smoke test."""
    app = make_app()
    try:
        load_thai_font(app)
    except FontError as exc:
        # Without the font Thai shows as boxes: say so on stderr and carry on in the system font.
        print(_("Warning: the Thai font could not be loaded ({error}).").format(error=exc), file=sys.stderr)
    collector = MainThreadCollector()  # garbage (and so Qt objects in cycles) is freed on this thread only
    window = CounterWindow(data_dir, seed_demo=seed_demo, demo_hint=demo_hint, restartable=restartable and not smoke)
    # idle in the quiet time with an update waiting: exit with EXIT_RESTART ('pos-terminal counter' waits for the
    # install, then starts the new version); the ledger is closed cleanly by shutdown() below
    window.update_restart.connect(lambda _version: QTimer.singleShot(0, lambda: app.exit(updates.EXIT_RESTART)))
    if smoke:
        window.ready.connect(lambda: QTimer.singleShot(0, lambda: app.exit(0)))
        window.error_shown.connect(lambda message: (print(message, file=sys.stderr), app.exit(1)))
    # fill the screen the counter has (kiosks have no window manager to maximise it); the layout fits from
    # 1024x768 up (tests/ui/test_fit.py)
    screen = app.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        window.move(area.topLeft())
        window.resize(max(area.width(), 1024), max(area.height(), 768))
    window.show()
    # without a window manager (a kiosk) nothing activates the window, and its shortcuts (Esc, F-keys) only
    # work in the active window: activate it ourselves (harmless when a window manager does it too)
    window.activateWindow()
    # Ctrl+C / SIGTERM close the window cleanly (queued work finishes, the ledger is closed). Python runs
    # signal handlers only between bytecodes, so a light timer gives it the chance while Qt's loop runs.
    previous = {sig: signal.signal(sig, lambda *_args: window.close()) for sig in (signal.SIGINT, signal.SIGTERM)}
    tick = QTimer()
    tick.start(250)
    tick.timeout.connect(lambda: None)
    try:
        code = app.exec()
    finally:
        tick.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        window.shutdown()
        collector.stop()
    return int(code)
