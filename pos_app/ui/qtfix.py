"""Guard against a reference-counting bug of PySide6 6.12 on Python 3.11, which would abort the counter
window mid-shift.

Measured here (PySide6-Essentials 6.12.0, CPython 3.11.7): every call of a Qt method that returns nothing
(``label.setText``, ``button.setEnabled``, ``app.processEvents``...) takes one reference away from ``None``,
and every Python-side ``signal.emit()`` / ``signal.disconnect()`` one from ``True``. Python 3.12+ makes
``None``, ``True`` and ``False`` immortal, so nothing happens there. On 3.11 ``None`` starts with ~29,000
references and ``True`` with ~5,000: after a few hundred counter operations the interpreter aborts
(``Fatal Python error: none_dealloc``). ``tests/ui/test_qtfix.py`` shows it.

At import, :func:`install` probes the running PySide6 with a few harmless calls. Only when references are
really lost, and only on an interpreter without immortal objects, does it give ``None``, ``True`` and
``False`` the same treatment Python 3.12 gives them: a reference count so large it cannot reach zero. These
three objects are static singletons that are never freed anyway, so nothing else changes. A fixed PySide6, or
Python 3.12+, makes this a no-op.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

HEADROOM = 1 << 40  # references added: at one lost reference per call, never used up
_PROBE_CALLS = 16


class _Probe(QObject):
    ping = Signal()


def probe_losses(calls: int = _PROBE_CALLS) -> tuple[int, int]:
    """References of ``None`` and ``True`` lost by ``calls`` void-method calls and emits (0, 0 when fixed)."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(calls):
        probe.setObjectName("probe")  # returns nothing
        probe.ping.emit()  # returns True
    return none_before - sys.getrefcount(None), true_before - sys.getrefcount(True)


def _raise_refcount(obj: object, amount: int) -> bool:
    """Add ``amount`` to ``obj``'s reference count (CPython release build layout: ob_refcnt first)."""
    if hasattr(sys, "gettotalrefcount"):  # a debug build lays objects out differently: leave it alone
        return False
    cell = ctypes.c_ssize_t.from_address(id(obj))
    if cell.value != sys.getrefcount(obj) - 1:  # not the layout we expect: touch nothing
        return False
    cell.value += amount
    return True


def _immortal_objects() -> bool:
    return sys.version_info >= (3, 12)


def install() -> bool:
    """Apply the guard if this PySide6 needs it; True when it was applied (idempotent)."""
    global INSTALLED
    if INSTALLED or _immortal_objects():
        return INSTALLED
    lost_none, lost_true = probe_losses()
    if lost_none < _PROBE_CALLS and lost_true < _PROBE_CALLS:
        return False  # this PySide6 keeps its references
    INSTALLED = all([_raise_refcount(obj, HEADROOM) for obj in (None, True, False)])
    return INSTALLED


INSTALLED = False
install()
