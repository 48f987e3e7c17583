"""The PIN screen comes before the ledger: the window module loads none of the heavy libraries (the ledger's
SQLAlchemy and Alembic, the camera's OpenCV), and a PIN confirmed while the ledger still opens is checked as
soon as it is open. (Times: bench/bench_ui.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from pos_app.ui.counter import CounterWindow

_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30_000


def test_the_window_module_loads_no_ledger_no_migrations_and_no_camera_libraries() -> None:
    code = ("import sys; import pos_app.ui.app; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'cv2', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=_ROOT, capture_output=True, text=True, check=True,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(_ROOT)))
    assert out.stdout.strip() == "[]", out.stderr


def test_a_pin_confirmed_before_the_ledger_is_open_signs_in_once_it_is(qtbot: Any, data_dir: Path) -> None:
    win = CounterWindow(data_dir)
    qtbot.addWidget(win)
    try:
        assert win._services is None  # nothing opened yet: that waits for the event loop
        assert win.pin.isEnabled() and win.sign_in_button.isEnabled()
        win.pin.setText("1111")
        with qtbot.waitSignal(win.signed_in, timeout=TIMEOUT) as signed:
            win.sign_in_button.click()
            assert win.status.text() == "กำลังเปิดข้อมูลแต้ม…"
        assert signed.args[0].role == "cashier"
        assert win.pages.currentWidget() is win.counter_page
    finally:
        win.shutdown()


def test_the_pin_screen_is_painted_before_the_ledger_opens(qtbot: Any, data_dir: Path) -> None:
    win = CounterWindow(data_dir)
    qtbot.addWidget(win)
    order: list[str] = []
    win.pin_screen_shown.connect(lambda: order.append("shown"))
    win.ready.connect(lambda: order.append("ready"))
    try:
        with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
            win.show()
        assert order == ["shown", "ready"]
    finally:
        win.shutdown()
