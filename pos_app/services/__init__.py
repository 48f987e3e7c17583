"""Use cases of the counter, one module per family (identify and enroll, earn, redeem, returns and voids, staff
and approvals, reports, device and maintenance), composed into one ``Services`` by ``terminal.py``; one
transaction each, idempotent by operation id, refusals as ``ServiceError`` with a stable code.

The names below are loaded on first use (PEP 562): ``from pos_app.services.errors import ServiceError`` or
``pos_app.services.staff`` does not import the ledger (SQLAlchemy, ~0.5 s), so the counter window can show its
PIN screen before the ledger is opened (``bench/bench_ui.py``, cold start)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pos_app.services.errors import ServiceError
    from pos_app.services.staff import Approval, StaffView
    from pos_app.services.terminal import (
        MemberSummary,
        MemberView,
        RewardView,
        Services,
        Voidable,
        VoidResult,
        open_terminal,
    )

_WHERE = {"ServiceError": "pos_app.services.errors", "Approval": "pos_app.services.staff",
          "StaffView": "pos_app.services.staff", "MemberSummary": "pos_app.services.terminal",
          "MemberView": "pos_app.services.terminal", "RewardView": "pos_app.services.terminal",
          "Services": "pos_app.services.terminal", "Voidable": "pos_app.services.terminal",
          "VoidResult": "pos_app.services.terminal", "open_terminal": "pos_app.services.terminal"}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


__all__ = ["Approval", "MemberSummary", "MemberView", "RewardView", "ServiceError", "Services", "StaffView",
           "VoidResult", "Voidable", "open_terminal"]
