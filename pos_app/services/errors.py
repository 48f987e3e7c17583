"""Refusals of use cases: one translated line for the cashier, manager or IT person."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal; ``message`` is translated and fit to show as is. ``code`` is stable."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    code = "not_found"


class InvalidInput(ServiceError):
    code = "invalid_input"


class ApprovalRequired(ServiceError):
    code = "approval_required"


class NotAllowed(ServiceError):
    code = "not_allowed"


class Conflict(ServiceError):
    code = "conflict"


class Unavailable(ServiceError):
    """The ledger could not be used (disk full, busy, damaged): nothing was recorded."""

    code = "unavailable"
