"""Failures of the sync client: a stable ``code`` plus an English ``message`` (the counter app translates by code).

* :class:`Offline` -- the server could not be reached or gave no usable answer (network down, DNS, refused
  connection, timeout, HTTP 5xx, 408/429, a body that is not the protocol). Transient: nothing was lost, the
  worker retries later with backoff, and a redemption falls back to the offline allowance.
* :class:`Refused` -- the server answered and said no (HTTP 4xx with an ``ErrorResponse``): e.g.
  ``insufficient_points``, ``terminal_revoked``, ``credential_expired``, ``content_conflict``.
* :class:`NotEnrolled` / :class:`EnrollRefused` -- local preconditions (raised before anything is sent).
"""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    code = "sync_error"

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.status = status

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class Offline(SyncError):
    """The server could not be reached or answered garbage: retry later; nothing was lost."""


class Refused(SyncError):
    """The server answered with a refusal (4xx)."""


class NotEnrolled(SyncError):
    def __init__(self, message: str = "this terminal is not enrolled with a central server") -> None:
        super().__init__("not_enrolled", message)


class EnrollRefused(SyncError):
    """Enrollment refused locally (e.g. the ledger already holds records)."""
