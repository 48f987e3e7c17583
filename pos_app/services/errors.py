"""Refusals of use cases: one translated line for the cashier, manager or IT person."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal; ``message`` is translated and fit to show as is. ``code`` is stable.
    ``log_message``: the refusal as a log file may hold it, when ``message`` names a member (their name or card
    number, for the cashier): the member's id instead (docs/privacy.md, "Logs"); None: ``message`` is fit."""

    code = "refused"
    log_message: str | None = None

    def __init__(self, message: str, code: str | None = None, *, log_message: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:  # a finer reason than the class's (e.g. ``void_window_passed`` for a NotAllowed)
            self.code = code
        if log_message is not None:
            self.log_message = log_message


class NotFound(ServiceError):
    code = "not_found"


class InvalidInput(ServiceError):
    code = "invalid_input"


class ApprovalRequired(ServiceError):
    code = "approval_required"


class NotAllowed(ServiceError):
    code = "not_allowed"


class PinWait(NotAllowed):
    """Too many wrong PINs in a row: the next attempt is refused until ``retry_after_s`` seconds have passed."""

    code = "pin_wait"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PinLocked(NotAllowed):
    """A PIN (or PIN entry on this terminal) is locked until a manager or head office unlocks it."""

    code = "pin_locked"


class Conflict(ServiceError):
    code = "conflict"


class Unavailable(ServiceError):
    """The ledger could not be used (disk full, busy, damaged): nothing was recorded."""

    code = "unavailable"
