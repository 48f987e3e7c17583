"""Who is signed in, what the role may see, and the idle lock (sign out after a configured idle time)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pos_app.core.i18n import _

ROLE_TEXT = {"cashier": "cashier", "manager": "manager", "admin": "admin"}


def role_text(role: str) -> str:
    return {"cashier": _("cashier"), "manager": _("manager"), "admin": _("admin")}.get(role, role)


class SessionPresenter:
    """The signed-in staff member (a ``StaffView``) or nobody."""

    def __init__(self) -> None:
        self.staff: Any = None

    @property
    def signed_in(self) -> bool:
        return self.staff is not None

    @property
    def back_office(self) -> bool:
        """Reports and the manager area are offered (the services still check the role on every call)."""
        return self.staff is not None and self.staff.role != "cashier"

    def who_text(self) -> str:
        if self.staff is None:
            return ""
        return _("{name} ({role})").format(name=self.staff.name, role=role_text(self.staff.role))


class IdleLock:
    """Signs the cashier out after ``timeout_s`` seconds without input (0: never). The clock is injected
    (``time.monotonic`` by default) so that tests move time instead of sleeping."""

    def __init__(self, timeout_s: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = int(timeout_s)
        self.clock = clock
        self._last = clock()

    @property
    def enabled(self) -> bool:
        return self.timeout_s > 0

    def touch(self) -> None:
        """Input happened (a key, a click, a scan)."""
        self._last = self.clock()

    def remaining_s(self) -> float:
        """Seconds until the lock (``inf`` when disabled)."""
        if not self.enabled:
            return float("inf")
        return max(0.0, self.timeout_s - (self.clock() - self._last))

    def due(self) -> bool:
        return self.enabled and self.remaining_s() <= 0


__all__ = ["IdleLock", "SessionPresenter", "role_text"]
