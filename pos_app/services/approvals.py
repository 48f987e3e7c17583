"""Staff and approvals: staff members, sign-in under the wrong-PIN guard, PIN changes and resets, lockouts,
the audit log.
"""

from __future__ import annotations

from typing import Any

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.phone import normalize_phone
from pos_app.core.pins import PURPOSES, check_new_pin
from pos_app.ledger.repository import TERMINAL_SCOPE, AuditRow, GuardRow, StaffRow, staff_scope
from pos_app.services.base import ServicesBase, _checked
from pos_app.services.errors import InvalidInput, NotAllowed, NotFound, PinLocked, ServiceError
from pos_app.services.pins import MANAGER_ROLES
from pos_app.services.staff import (
    ROLES,
    Approval,
    StaffMember,
    StaffView,
    hash_pin,
    pin_matches,
    require_above,
    require_role,
    validate_pin,
)


class StaffUseCases(ServicesBase):
    # ------------------------------------------------------------------ staff
    def add_staff(self, *, name: str, role: str, pin: str, staff_id: str | None = None, phone: str | None = None,
                  demo: bool = False) -> StaffView:
        """A new staff member of this terminal. The PIN policy applies (managers 6+ digits, no 1111 / 1234,
        not their own phone); ``demo`` staff keep the documented demo PINs and are marked demo-only."""
        name, phone, pin_hash = self._new_staff_fields(name, role, pin, phone, demo)
        staff_id = staff_id or self.ledger.new_id()

        def run() -> StaffView:
            with self.ledger.write() as conn:
                self.ledger.add_staff(conn, staff_id=staff_id, name=name, role=role, pin_hash=pin_hash,
                                      phone=phone or None, demo=demo)
            return StaffView(staff_id, name, role)

        result: StaffView = self._call(run)
        return result

    def _new_staff_fields(self, name: str, role: str, pin: str, phone: str | None,
                          demo: bool = False) -> tuple[str, str | None, str]:
        """A new staff member's checked name, normalised phone and PIN hash (the PIN policy applies)."""
        name = _checked(name.strip(), _("The name"))
        if not name:
            raise InvalidInput(_("A staff member needs a name."))
        if role not in ROLES:
            raise InvalidInput(_("Role must be one of: cashier, manager, admin."))
        if phone:
            try:
                phone = normalize_phone(phone)
            except RuleError as exc:
                raise InvalidInput(exc.message) from exc
        return name, phone or None, hash_pin(pin if demo else self._policy_pin(pin, role, phone))

    # ------------------------------------------------------------------ the staff admin page
    def staff_members(self, *, by: StaffView) -> list[StaffMember]:
        """Every staff member of this terminal for a manager's staff page, disabled ones too (active first)."""
        require_role(by, "manager")
        with self.ledger.read() as conn:
            rows = self.ledger.list_staff(conn, include_inactive=True)
            locked = {r.scope.removeprefix("staff:") for r in self.ledger.guard_rows(conn)
                      if r.scope != TERMINAL_SCOPE and r.locked_at_ms is not None}
        members = [StaffMember(r.id, r.name, r.role, r.active, r.origin == "server", r.must_change_pin,
                               r.id in locked) for r in rows]
        members.sort(key=lambda m: (not m.active, m.name.casefold()))
        return members

    def add_staff_member(self, *, name: str, role: str, pin: str, phone: str | None = None, by: StaffView,
                         approval: Approval) -> StaffView:
        """A manager adds a staff member from the staff page, confirming with their PIN (audited as an
        ``approval`` of ``add_staff`` naming the new member). The initial PIN follows the PIN policy and must
        be changed at the new member's first sign-in (the manager knows it)."""
        require_above(by, role)
        name, phone, pin_hash = self._new_staff_fields(name, role, pin, phone)
        staff_id = self.ledger.new_id()

        def run() -> StaffView:
            with self.ledger.write() as conn:
                self._approve(conn, approval, _("adding a staff member"), operation="add_staff",
                              operator_id=None, subject=staff_id)
                self.ledger.add_staff(conn, staff_id=staff_id, name=name, role=role, pin_hash=pin_hash,
                                      phone=phone, must_change_pin=True)
            return StaffView(staff_id, name, role, True)

        result: StaffView = self._call(run)
        return result

    def set_staff_active(self, staff_id: str, active: bool, *, by: StaffView, approval: Approval) -> StaffMember:
        """A manager disables (no more sign-in or approvals) or enables a staff member again, confirming with
        their PIN (audited as an ``approval`` of ``disable_staff`` / ``enable_staff`` naming them). Nothing
        they recorded changes; nobody disables themselves; head office's staff are changed at head office."""
        require_role(by, "manager")
        operation = "enable_staff" if active else "disable_staff"

        def run() -> StaffMember:
            with self.ledger.write() as conn:
                row = self.ledger.get_staff(conn, staff_id)
                if row is None:
                    raise NotFound(_("No such staff member on this terminal."))
                if row.id == by.id:
                    raise NotAllowed(_("You cannot disable or enable yourself: ask another manager."),
                                     code="self")
                if row.origin == "server":
                    raise NotAllowed(_("{name} is managed by head office: change them there.").format(
                        name=row.name), code="head_office")
                require_above(by, row.role)
                self._approve(conn, approval, _("disabling or enabling a staff member"), operation=operation,
                              operator_id=None, subject=row.id)
                if row.active != active:
                    self.ledger.set_staff_active(conn, row.id, active)
            return StaffMember(row.id, row.name, row.role, active, False, row.must_change_pin)

        result: StaffMember = self._call(run)
        return result

    @staticmethod
    def _policy_pin(pin: str, role: str, phone: str | None) -> str:
        try:
            return check_new_pin(pin, role, phone)
        except RuleError as exc:
            raise InvalidInput(exc.message) from exc

    def _sign_in(self, pin: str, staff_id: str | None) -> StaffView:
        """Check a sign-in PIN under the guard: one write transaction that checks the delay and lock, verifies
        the PIN and records the outcome (committed before a refusal is raised)."""
        validate_pin(pin)

        def run() -> StaffView:
            refusal: ServiceError | None = None
            with self.ledger.write() as conn:
                now = self.clock()
                named = self.ledger.get_staff(conn, staff_id) if staff_id else None
                if named is not None:
                    # a named manager may sign in while PIN-only sign-in is locked here (to unlock it)
                    if self.pins.is_locked(conn, TERMINAL_SCOPE, "sign_in") and named.role not in MANAGER_ROLES:
                        raise PinLocked(_("Sign-in is locked on this terminal: only a manager can sign in now."))
                    self.pins.check_open(conn, staff_scope(named.id), "sign_in", now, named.name)
                    self.pins.check_open(conn, TERMINAL_SCOPE, "sign_in", now, ignore_lock=True)
                else:
                    self.pins.check_open(conn, TERMINAL_SCOPE, "sign_in", now)
                rows = [named] if named is not None else (self.ledger.list_staff(conn) if not staff_id else [])
                match = next((r for r in rows if r is not None and r.active and pin_matches(r.pin_hash, pin)), None)
                if match is None:
                    target = named if named is not None and named.active else None
                    refusal = self.pins.failure(conn, "sign_in", now, target, {})
                else:
                    if named is None:
                        self.pins.check_open(conn, staff_scope(match.id), "sign_in", now, match.name)
                    self.pins.success(conn, match.id, "sign_in")
            if refusal is not None:
                raise refusal
            assert match is not None
            return StaffView(match.id, match.name, match.role, match.must_change_pin)

        result: StaffView = self._call(run)
        return result

    def login(self, staff_id: str, pin: str) -> StaffView:
        """Sign in naming the staff member (wrong PINs count against them and the terminal)."""
        return self._sign_in(pin, staff_id.strip() or "?")

    def login_by_pin(self, pin: str) -> StaffView:
        """Sign in with a PIN alone (the counter's quick login; wrong PINs count against the terminal)."""
        return self._sign_in(pin, None)

    def staff(self, role: str | None = None) -> list[StaffView]:
        with self.ledger.read() as conn:
            return [StaffView(r.id, r.name, r.role, r.must_change_pin) for r in self.ledger.list_staff(conn, role)]

    def _changeable(self, row: StaffRow | None) -> StaffRow:
        if row is None or not row.active:
            raise NotFound(_("No such staff member on this terminal."))
        if row.origin == "server":
            raise NotAllowed(_("{name}'s PIN is managed by head office: change it there "
                               "(loyalty-server staff set --pin).").format(name=row.name))
        return row

    def change_pin(self, staff_id: str, old_pin: str, new_pin: str) -> StaffView:
        """A staff member changes their own PIN; the old one is required (and counted like a sign-in)."""
        me = self.login(staff_id, old_pin)

        def run() -> StaffView:
            with self.ledger.write() as conn:
                row = self._changeable(self.ledger.get_staff(conn, me.id))
                pin = self._policy_pin(new_pin, row.role, row.phone)
                if pin_matches(row.pin_hash, pin):
                    raise InvalidInput(_("The new PIN must differ from the old one."))
                self.ledger.set_staff_pin(conn, row.id, hash_pin(pin), must_change_pin=False)
                self.ledger.append_audit(conn, event="pin_changed", at_ms=self.clock(), staff_id=row.id,
                                         purpose="sign_in", details={"by": row.id})
            return StaffView(row.id, row.name, row.role, False)

        result: StaffView = self._call(run)
        return result

    def _acting_manager(self, by: StaffView | None, approval: Approval | None, why: str, operation: str,
                        conn: Any) -> StaffView:
        if by is not None:
            require_role(by, "manager")
            return by
        return self._approve(conn, approval, why, operation=operation, operator_id=None)

    def reset_pin(self, staff_id: str, new_pin: str, *, by: StaffView | None = None,
                  approval: Approval | None = None) -> StaffView:
        """A manager gives a cashier a new PIN (the cashier must change it at their next sign-in); it also
        lifts the cashier's lockouts. ``by``: the signed-in manager (window); else ``approval`` (CLI)."""
        def run() -> StaffView:
            with self.ledger.write() as conn:
                manager = self._acting_manager(by, approval, _("resetting a PIN"), "reset_pin", conn)
                row = self._changeable(self.ledger.get_staff(conn, staff_id))
                if row.role != "cashier":
                    raise NotAllowed(_("A manager resets cashiers' PINs only; a manager changes their own PIN."))
                pin = self._policy_pin(new_pin, row.role, row.phone)
                now = self.clock()
                self.ledger.set_staff_pin(conn, row.id, hash_pin(pin), must_change_pin=True)
                self.pins.unlock(conn, staff_scope(row.id), None, manager.id, now)
                self.ledger.append_audit(conn, event="pin_reset", at_ms=now, staff_id=row.id, purpose="sign_in",
                                         details={"by": manager.id})
            return StaffView(row.id, row.name, row.role, True)

        result: StaffView = self._call(run)
        return result

    def unlock(self, staff_id: str | None = None, purpose: str | None = None, *, by: StaffView | None = None,
               approval: Approval | None = None) -> int:
        """A manager lifts a lockout (and forgets the failures): a staff member's (``staff_id``) or this
        terminal's PIN entry (``staff_id`` None); one purpose or both. Returns how many counts were cleared."""
        if purpose is not None and purpose not in PURPOSES:
            raise InvalidInput(_("The purpose is sign_in or approval."))

        def run() -> int:
            with self.ledger.write() as conn:
                manager = self._acting_manager(by, approval, _("unlocking a PIN"), "unlock", conn)
                if staff_id is not None and self.ledger.get_staff(conn, staff_id) is None:
                    raise NotFound(_("No such staff member on this terminal."))
                scope = staff_scope(staff_id) if staff_id else TERMINAL_SCOPE
                return self.pins.unlock(conn, scope, purpose, manager.id, self.clock())

        result: int = self._call(run)
        return result

    def pin_guard_status(self) -> list[dict[str, Any]]:
        """Failed-PIN counts and lockouts on this terminal, locked first (for the manager area and the CLI)."""
        with self.ledger.read() as conn:
            rows: list[GuardRow] = self.ledger.guard_rows(conn)
            names = self.ledger.staff_names(conn)
        now = self.clock()
        out = []
        for r in rows:
            effective = self.pins._effective(r, now)
            if effective is None:
                continue
            staff_id = None if r.scope == TERMINAL_SCOPE else r.scope.removeprefix("staff:")
            wait = self.pin_policy.delay_ms(r.failures) - (now - r.last_failure_at_ms)
            out.append({"staff_id": staff_id, "name": names.get(staff_id or "", staff_id), "purpose": r.purpose,
                        "failures": r.failures, "locked": r.locked_at_ms is not None,
                        "locked_at_ms": r.locked_at_ms, "last_failure_at_ms": r.last_failure_at_ms,
                        "retry_after_s": 0 if r.locked_at_ms is not None else max(0, -(-wait // 1000))})
        out.sort(key=lambda d: (not d["locked"], -d["failures"]))
        return out

    def audit_log(self, since_ms: int | None = None, limit: int = 200) -> list[AuditRow]:
        """Recent audit events (failed PINs, lockouts, unlocks, PIN changes, approvals), newest first."""
        with self.ledger.read() as conn:
            return self.ledger.audit_since(conn, since_ms if since_ms is not None else 0, limit)

    def require(self, staff: StaffView, role: str) -> None:
        require_role(staff, role)
