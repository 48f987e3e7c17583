"""What a cashier does first on every screen test: show the window, sign in by PIN, find a member."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

TIMEOUT = 20_000


def show(qtbot: Any, win: Any) -> Any:
    """Show ``win`` and wait until its ledger is open."""
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.show()
    return win


def sign_in(qtbot: Any, win: Any, pin: str = "1111") -> None:
    qtbot.keyClicks(win.pin, pin)
    with qtbot.waitSignal(win.signed_in, timeout=TIMEOUT):
        qtbot.keyClick(win.pin, Qt.Key.Key_Return)


def find_member(qtbot: Any, win: Any, text: str) -> Any:
    """Type a phone/card/code and press Enter; the member shown."""
    qtbot.keyClicks(win.member_field, text)
    with qtbot.waitSignal(win.member_shown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
    return shown.args[0]
