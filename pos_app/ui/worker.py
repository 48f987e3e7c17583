"""One background thread that runs every service call (the single writer), results back by signal.

The view captures the plain values it needs (text, ints, ids), builds a function that calls the services and
never touches a widget, and submits it. The function runs on the worker thread; its return value, or the
:class:`ServiceError` it raised, comes back on the UI thread through a queued signal, where the view updates its
widgets. The UI thread never opens or queries the ledger itself.

Calls run strictly one after another in submission order, so two writes from the same window can never race
each other. An unexpected exception (a bug) is logged with its traceback and reaches the view as a one-line
:class:`ServiceError`, so the cashier never sees a traceback.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[ServiceError], None]


@dataclass
class _Pending:
    on_success: Success | None
    on_error: Failure | None
    counts_as_busy: bool


class _Runner(QObject):
    """Lives on the worker thread; runs one submitted function at a time."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)

    @Slot(int, object)
    def run(self, ticket: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except ServiceError as exc:
            self.failed.emit(ticket, exc)
        except Exception as exc:  # a bug or an unforeseen failure: log it, tell the cashier in one line
            log.exception("background operation failed")
            self.failed.emit(ticket, ServiceError(
                _("Something went wrong and nothing was confirmed ({error}). Try again or call IT.").format(
                    error=type(exc).__name__)))
        else:
            self.succeeded.emit(ticket, result)


class Worker(QObject):
    """The single-writer executor owned by the window.

    ``submit(fn, on_success, on_error)`` returns at once; exactly one of the callbacks is later called on the UI
    thread. ``busy`` (and ``busy_changed``) reflect whether a command (not a background preview) is running.
    ``finished`` is emitted after each callback ran: tests wait on it.
    """

    busy_changed = Signal(bool)
    finished = Signal(int)
    _submit = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("pos-service-worker")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.succeeded.connect(self._on_succeeded)
        self._runner.failed.connect(self._on_failed)
        self._tickets = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._busy_count = 0
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._busy_count > 0

    @property
    def idle(self) -> bool:
        """Nothing at all is queued or running."""
        return not self._pending

    def submit(self, fn: Callable[[], Any], on_success: Success | None = None,
               on_error: Failure | None = None, *, busy: bool = True) -> int:
        """Queue ``fn`` for the worker thread. ``busy=False`` for background work such as previews."""
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(on_success, on_error, busy)
        if busy:
            self._busy_count += 1
            if self._busy_count == 1:
                self.busy_changed.emit(True)
        self._submit.emit(ticket, fn)
        return ticket

    def _settle(self, ticket: int) -> _Pending | None:
        pending = self._pending.pop(ticket, None)
        if pending is not None and pending.counts_as_busy:
            self._busy_count -= 1
            if self._busy_count == 0:
                self.busy_changed.emit(False)
        return pending

    @Slot(int, object)
    def _on_succeeded(self, ticket: int, result: Any) -> None:
        pending = self._settle(ticket)
        try:
            if pending is not None and pending.on_success is not None:
                pending.on_success(result)
        finally:
            self.finished.emit(ticket)

    @Slot(int, object)
    def _on_failed(self, ticket: int, error: ServiceError) -> None:
        pending = self._settle(ticket)
        try:
            if pending is not None and pending.on_error is not None:
                pending.on_error(error)
        finally:
            self.finished.emit(ticket)

    def shutdown(self, final: Callable[[], Any] | None = None) -> None:
        """Run ``final`` (e.g. closing the services) after everything queued, then stop the thread."""
        if not self._thread.isRunning():
            return

        def last() -> None:
            try:
                if final is not None:
                    final()
            finally:
                QThread.currentThread().quit()  # after everything queued before it: they ran in order

        self.submit(last, busy=False)
        self._thread.wait()
