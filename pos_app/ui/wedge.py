"""Qt adapter for keyboard-wedge scanners: a member card scanned while the cursor is in another field.

A USB scanner in keyboard mode types its code into whatever field has the focus. In the member field that is
what we want. In the amount, receipt or points field it is a mistake that could even confirm an operation
(the scanner ends with Enter). This filter watches the key events of those fields and feeds them, with their
timestamps, to :class:`hardware.wedge.WedgeDetector` (pure logic, no Qt). When a burst that ends with Enter
is a member code (a signed member QR or a rotating app code), the Enter is swallowed, the code's characters
are taken back out of the field, and :attr:`WedgeFilter.scanned` is emitted so the window identifies the
member. Anything else (a person typing, a receipt barcode) passes through untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from hardware.wedge import WedgeConfig, WedgeDetector, WedgeScan


def _now_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class WedgeFilter(QObject):
    scanned = Signal(str, object)  # what the scanner sent, and a hardware.wedge warning code or None

    def __init__(self, fields: Iterable[QLineEdit], accept: Callable[[str], bool],
                 config: WedgeConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector = WedgeDetector(config or WedgeConfig())
        self._accept = accept
        self._receiver: QObject | None = None
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.detector.reset()
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is not self._receiver:
            self.detector.reset()
            self._receiver = watched
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            char = "\r"
        else:
            char = event.text()
            if len(char) != 1 or not char.isprintable():
                return False  # Shift, arrows, ...: not part of a code
        # real key events carry the window system's time; synthetic ones may carry 0
        stamp = int(event.timestamp()) or _now_ms()
        for found in self.detector.feed(char, stamp):
            if isinstance(found, WedgeScan) and self._accept(found.text):
                if isinstance(watched, QLineEdit) and watched.text().endswith(found.raw):
                    watched.setText(watched.text()[: -len(found.raw)])
                self.scanned.emit(found.text, found.warning)
                return True  # the scanner's Enter must not confirm what the field was for
        return False
