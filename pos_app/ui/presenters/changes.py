"""Change notifications: what happened that a screen may need to show again.

The window publishes a change when it learns of it (an operation committed, a sync round applied changes from
the server, the rules or rewards were re-read); each screen subscribes to the kinds it shows. No screen
re-reads the ledger on a timer. Handlers run on the UI thread, in subscription order, synchronously.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any


class Change(StrEnum):
    OPERATION_COMMITTED = "operation_committed"  # payload: the service's result (award, redeem, return, enroll)
    SYNC_PULLED = "sync_pulled"                  # payload: number of changes the server sent
    MEMBER_SHOWN = "member_shown"                # payload: another member (or None) is shown: forms reset
    MEMBER_UPDATED = "member_updated"            # payload: the member shown, re-read (balance, tier)
    RULES_CHANGED = "rules_changed"              # payload: None (tiers re-read)
    REWARDS_CHANGED = "rewards_changed"          # payload: the active rewards, re-read
    SIGNED_IN = "signed_in"                      # payload: StaffView
    SIGNED_OUT = "signed_out"                    # payload: the reason ("user", "idle")


Handler = Callable[[Any], None]


class ChangeBus:
    """A plain observer list per kind of change."""

    def __init__(self) -> None:
        self._handlers: dict[Change, list[Handler]] = {}
        self.published: list[Change] = []  # the kinds published so far, in order (for tests and diagnostics)

    def subscribe(self, kind: Change, handler: Handler) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def publish(self, kind: Change, payload: Any = None) -> None:
        self.published.append(kind)
        for handler in list(self._handlers.get(kind, ())):
            handler(payload)


__all__ = ["Change", "ChangeBus", "Handler"]
