"""Start the counter application: one QApplication, the bundled Thai font, the counter window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.core.i18n import _
from pos_app.ui.counter import CounterWindow
from pos_app.ui.fonts import FontError, load_thai_font


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName("pos-terminal")
    app.setOrganizationName("loyalty")
    return app


def run(data_dir: Path, *, seed_demo: bool = False, demo_hint: bool = False) -> int:
    """Open the counter window on ``data_dir`` and run until it is closed; returns the exit code."""
    app = make_app()
    try:
        load_thai_font(app)
    except FontError as exc:
        # Without the font Thai shows as boxes: say so on stderr and carry on in the system font.
        print(_("Warning: the Thai font could not be loaded ({error}).").format(error=exc), file=sys.stderr)
    window = CounterWindow(data_dir, seed_demo=seed_demo, demo_hint=demo_hint)
    window.show()
    code = app.exec()
    window.shutdown()
    return int(code)
