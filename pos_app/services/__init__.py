"""Use cases of the counter, one module per family (identify and enroll, earn, redeem, returns and voids, staff
and approvals, reports, device and maintenance), composed into one ``Services`` by ``terminal.py``; one
transaction each, idempotent by operation id, refusals as ``ServiceError`` with a stable code."""

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

__all__ = ["Approval", "MemberSummary", "MemberView", "RewardView", "ServiceError", "Services", "StaffView",
           "VoidResult", "Voidable", "open_terminal"]
