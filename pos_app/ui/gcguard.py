"""Python's garbage collector runs on the UI thread only.

A Qt object caught in a Python reference cycle (a widget whose slot is a lambda that captures it, for
example) is destroyed by whichever thread happens to trigger a collection. If that is the service worker,
the sync thread or a camera thread, Qt destroys a widget off the GUI thread and the process crashes.
So automatic collection is switched off while the window runs and a timer collects on the UI thread
instead (the approach Anki's ``aqt`` takes for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

COLLECT_EVERY_MS = 1000
FULL_EVERY_TICKS = 30


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._ticks = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        self._ticks += 1
        threshold = gc.get_threshold()[0]
        if self._ticks % FULL_EVERY_TICKS == 0:
            gc.collect()
        elif gc.get_count()[0] >= threshold:
            gc.collect(0)

    def stop(self) -> None:
        """Collect once more here and give automatic collection back (as it was before)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
