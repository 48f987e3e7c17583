"""The failed-PIN guard: counts wrong PINs durably in the ledger, refuses attempts while a delay runs or a lock
holds, and writes an audit event for every failure, lockout, unlock, PIN change and approval.

Counting (thresholds: :class:`pos_app.core.pins.GuardPolicy`, ``[pins]`` in terminal.toml):

* a PIN typed for a named staff member (``login(staff_id, pin)``, ``Approval(manager_id=...)``) counts against
  that staff member (scope ``staff:<id>``) and against the terminal (scope ``terminal``);
* a PIN typed alone (the counter's quick sign-in and approval dialog: tried against everyone) counts against
  the terminal only: there is no one to blame;
* sign-in and approval are counted separately (purposes ``sign_in`` and ``approval``).

A staff member's count starts again after their correct PIN; the terminal's count only after a quiet period
(``quiet_reset_minutes`` without a failure) or an unlock, so a cashier cannot reset it with their own PIN.
While the terminal's count for a purpose is locked, PINs typed alone are refused for that purpose; a named
manager can still sign in and unlock it (``pos-terminal staff unlock --manager ID``; the window then offers the
list of managers above the PIN field).

The delay is enforced by refusing attempts until a stored time (:class:`PinWait` with the seconds left),
never by sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pos_app.core.i18n import _
from pos_app.core.pins import GuardPolicy
from pos_app.ledger.repository import TERMINAL_SCOPE, GuardRow, StaffRow, staff_scope
from pos_app.services.errors import NotAllowed, PinLocked, PinWait, ServiceError

if TYPE_CHECKING:
    from pos_app.services.terminal import Services

MANAGER_ROLES = ("manager", "admin")


class DeferredRefusal(ServiceError):
    """A refusal whose audit must outlive the rolled-back transaction it was found in: ``Services._call``
    runs ``record`` in a new transaction after the rollback and raises what it returns."""

    def __init__(self, record: Callable[[], ServiceError]) -> None:
        super().__init__("")
        self.record = record


def wrong_pin_message(purpose: str) -> str:
    if purpose == "approval":
        return _("That is not a manager's PIN: nothing was changed.")
    return _("Unknown staff id or wrong PIN.")


def wait_message(seconds: int) -> str:
    return _("Too many wrong PINs: try again in {seconds} s.").format(seconds=seconds)


def locked_message(scope: str, purpose: str, name: str | None = None) -> str:
    if scope == TERMINAL_SCOPE:
        if purpose == "approval":
            return _("Manager approval is locked on this terminal after too many wrong PINs: a manager must "
                     "unlock it (manager area, or pos-terminal staff unlock).")
        return _("Sign-in is locked on this terminal after too many wrong PINs: a manager chooses their name, "
                 "signs in and unlocks it (or pos-terminal staff unlock).")
    return _("{name}'s PIN is locked after too many wrong attempts: a manager or head office must unlock it.") \
        .format(name=name or scope.removeprefix("staff:"))


class PinGuard:
    def __init__(self, services: Services) -> None:
        self._s = services

    @property
    def policy(self) -> GuardPolicy:
        policy: GuardPolicy = self._s.pin_policy
        return policy

    def _effective(self, row: GuardRow | None, now: int) -> GuardRow | None:
        """The row as it counts now: a terminal count quiet for long enough (and not locked) is forgotten."""
        if row is None:
            return None
        if (row.scope == TERMINAL_SCOPE and row.locked_at_ms is None
                and now - row.last_failure_at_ms > self.policy.quiet_reset_minutes * 60_000):
            return None
        return row

    def check_open(self, conn: Any, scope: str, purpose: str, now: int, name: str | None = None,
                   ignore_lock: bool = False) -> None:
        """Raise PinLocked or PinWait when an attempt in ``scope`` is refused right now."""
        row = self._effective(self._s.ledger.guard_get(conn, scope, purpose), now)
        if row is None:
            return
        if row.locked_at_ms is not None:
            if ignore_lock:
                return
            raise PinLocked(locked_message(scope, purpose, name))
        wait = self.policy.delay_ms(row.failures) - (now - row.last_failure_at_ms)
        if wait > 0:
            seconds = max(1, math.ceil(wait / 1000))
            raise PinWait(wait_message(seconds), seconds)

    def is_locked(self, conn: Any, scope: str, purpose: str) -> bool:
        row = self._s.ledger.guard_get(conn, scope, purpose)
        return row is not None and row.locked_at_ms is not None

    def failure(self, conn: Any, purpose: str, now: int, staff: StaffRow | None = None,
                details: dict[str, Any] | None = None) -> ServiceError:
        """Count one wrong PIN (against ``staff`` if one was named, and the terminal), audit it, lock where a
        threshold is reached. Returns the refusal to show (the lock, when this failure caused one)."""
        ledger = self._s.ledger
        scopes = [TERMINAL_SCOPE] if staff is None else [staff_scope(staff.id), TERMINAL_SCOPE]
        counts: dict[str, int] = {}
        refusal: ServiceError = NotAllowed(wrong_pin_message(purpose))
        newly_locked: list[tuple[str, int]] = []
        for scope in scopes:
            row = self._effective(ledger.guard_get(conn, scope, purpose), now)
            failures = (row.failures if row else 0) + 1
            locked = row.locked_at_ms if row else None
            if locked is None and self.policy.locks(failures):
                locked = now
                newly_locked.append((scope, failures))
            ledger.guard_put(conn, GuardRow(scope, purpose, failures, now, locked))
            counts[scope] = failures
        audit = dict(details or {})
        audit["terminal_failures"] = counts[TERMINAL_SCOPE]
        if staff is not None:
            audit["staff_failures"] = counts[staff_scope(staff.id)]
        ledger.append_audit(conn, event="pin_failed", at_ms=now, staff_id=staff.id if staff else None,
                            purpose=purpose, details=audit)
        for scope, failures in newly_locked:
            target = staff.id if scope != TERMINAL_SCOPE and staff is not None else None
            ledger.append_audit(conn, event="pin_lockout", at_ms=now, staff_id=target, purpose=purpose,
                                details={"scope": "staff" if target else "terminal", "failures": failures,
                                         **{k: v for k, v in (details or {}).items() if k == "operator_id"}})
            if not isinstance(refusal, PinLocked):  # the staff member's lock says more than the terminal's
                refusal = PinLocked(locked_message(scope, purpose, staff.name if target and staff else None))
        return refusal

    def success(self, conn: Any, staff_id: str, purpose: str) -> None:
        self._s.ledger.guard_clear(conn, staff_scope(staff_id), purpose)

    def unlock(self, conn: Any, scope: str, purpose: str | None, by: str, now: int) -> int:
        """Forget the failures (and lift the lock) of ``scope``; audited. Returns how many counts were cleared."""
        cleared = self._s.ledger.guard_clear(conn, scope, purpose)
        for row in cleared:
            self._s.ledger.append_audit(
                conn, event="pin_unlocked", at_ms=now,
                staff_id=None if scope == TERMINAL_SCOPE else scope.removeprefix("staff:"), purpose=row.purpose,
                details={"scope": "terminal" if scope == TERMINAL_SCOPE else "staff", "by": by,
                         "failures": row.failures, "was_locked": row.locked_at_ms is not None})
        return len(cleared)
