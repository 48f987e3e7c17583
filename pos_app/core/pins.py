"""Staff PINs: what a new PIN must be (the PIN policy) and how failed attempts slow down and lock (the guard
policy). Pure rules, shared by the terminal and the central server.

PIN policy (:func:`check_new_pin`), refused with :class:`PinPolicyError` and a stable code:

* ``pin.format``      4 to 8 ASCII digits;
* ``pin.length``      a manager's (or admin's) PIN has at least :data:`MANAGER_MIN_LENGTH` digits;
* ``pin.same``        not one digit repeated (``1111``, ``000000``);
* ``pin.sequence``    not a run up or down (``1234``, ``9876``, ``345678``; ``0`` also follows ``9`` as on a
  keyboard's digit row: ``7890`` and ``0987`` count);
* ``pin.phone``       not the staff member's own phone digits (the whole number, its last 4-8 digits, or the
  number without its leading zero).

The demo data keeps its documented PINs (cashier 1111, manager 9999): the demo bypasses this policy and says
so (``pos-terminal init --demo``, ``loyalty-server serve --demo``).

Guard policy (:class:`GuardPolicy`): after ``delay_after`` consecutive failures the next attempt has to wait
``base_delay_seconds`` (doubling with every further failure, at most ``max_delay_seconds``); after
``lock_after`` failures the PIN (or, for PINs typed without naming anyone, that purpose on the terminal) is
locked until a manager or head office unlocks it. A terminal-wide count that saw no failure for
``quiet_reset_minutes`` starts again from zero (a lock never lapses by itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _

MANAGER_MIN_LENGTH = 6
PURPOSES = ("sign_in", "approval")
"""A cashier's (or anyone's) sign-in and a manager's approval are counted separately."""

_KEYPAD_UP = "01234567890"
_KEYPAD_DOWN = "09876543210"


class PinPolicyError(RuleError):
    """A new PIN the policy refuses."""

    default_code = "pin"


def is_sequence(pin: str) -> bool:
    """True for a run of consecutive digits, up or down (``1234``, ``9876``, ``7890``, ``0987``)."""
    return len(pin) >= 3 and (pin in _KEYPAD_UP or pin in _KEYPAD_DOWN)


def phone_variants(phone: str | None) -> set[str]:
    """Digit strings a PIN must not equal for a staff member with this phone."""
    digits = "".join(c for c in (phone or "") if c.isascii() and c.isdigit())
    if len(digits) < 4:
        return set()
    out = {digits, digits.lstrip("0")}
    out |= {digits[-n:] for n in range(4, 9)}
    return {v for v in out if 4 <= len(v) <= 8}


def check_new_pin(pin: str, role: str, phone: str | None = None) -> str:
    """The PIN (stripped) if the policy accepts it for a staff member of ``role``; else PinPolicyError."""
    pin = pin.strip()
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise PinPolicyError(_("A PIN is 4 to 8 digits."), "pin.format")
    if role in ("manager", "admin") and len(pin) < MANAGER_MIN_LENGTH:
        raise PinPolicyError(_("A manager's PIN has at least {n} digits.").format(n=MANAGER_MIN_LENGTH),
                             "pin.length")
    if len(set(pin)) == 1:
        raise PinPolicyError(_("A PIN cannot be one digit repeated (such as 1111): choose another."), "pin.same")
    if is_sequence(pin):
        raise PinPolicyError(_("A PIN cannot be a run of digits (such as 1234 or 9876): choose another."),
                             "pin.sequence")
    if pin in phone_variants(phone):
        raise PinPolicyError(_("A PIN cannot be your own phone number: choose another."), "pin.phone")
    return pin


@dataclass(frozen=True)
class GuardPolicy:
    """Thresholds of the failed-attempt guard (``[pins]`` in terminal.toml)."""

    delay_after: int = 3
    lock_after: int = 8
    base_delay_seconds: int = 5
    max_delay_seconds: int = 300
    quiet_reset_minutes: int = 30
    allow_self_approval: bool = False
    """True for a one-person store: a manager may approve their own operation even when another manager is on
    the roster (with one manager only, self-approval is always allowed)."""

    def delay_ms(self, failures: int) -> int:
        """How long after the last failure the next attempt must wait, given ``failures`` in a row."""
        if failures < self.delay_after:
            return 0
        doublings = min(failures - self.delay_after, 20)
        return int(min(self.base_delay_seconds * (2 ** doublings), self.max_delay_seconds)) * 1000

    def locks(self, failures: int) -> bool:
        return failures >= self.lock_after
