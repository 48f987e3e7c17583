"""Staff, roles and PINs. PINs are stored only as Argon2id hashes (memory-hard), never in clear."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pos_app.core.i18n import _
from pos_app.services.errors import InvalidInput, NotAllowed

ROLES = ("cashier", "manager", "admin")
ROLE_RANK = {"cashier": 0, "manager": 1, "admin": 2}

# OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane (~20 ms here): slow for a thief, instant at the counter.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class StaffView:
    id: str
    name: str
    role: str
    must_change_pin: bool = False
    """Set after a manager reset this PIN: the staff member chooses a new one before doing anything else."""


@dataclass(frozen=True)
class StaffMember:
    """A staff member as the staff admin page lists them (never the PIN hash)."""

    id: str
    name: str
    role: str
    active: bool
    head_office: bool
    """Managed by head office (synced from the server): changed there, not on this terminal."""
    must_change_pin: bool = False
    locked: bool = False
    """Their PIN is locked after too many wrong attempts (Unlock in the manager area)."""


@dataclass(frozen=True)
class Approval:
    """A manager's PIN typed at the counter (``manager_id`` optional: any manager's PIN is accepted, and a wrong
    one counts against the terminal; naming the manager counts it against them too)."""

    pin: str
    manager_id: str | None = None


def validate_pin(pin: str) -> str:
    pin = pin.strip()
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise InvalidInput(_("A PIN is 4 to 8 digits."))
    return pin


def hash_pin(pin: str) -> str:
    return _hasher.hash(validate_pin(pin))


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def require_role(staff: StaffView, role: str) -> None:
    if ROLE_RANK[staff.role] < ROLE_RANK[role]:
        raise NotAllowed(_("{name} is not allowed to do this (needs {role}).").format(name=staff.name, role=role))


def require_above(manager: StaffView, role: str) -> None:
    """Staff are added, disabled and enabled by someone of a higher role: a manager manages cashiers, an admin
    manages cashiers and managers."""
    if ROLE_RANK.get(manager.role, -1) <= ROLE_RANK.get(role, 3):
        raise NotAllowed(_("A manager adds, disables and enables cashiers; managers are managed by an admin "
                           "or head office."), code="role_too_high")
