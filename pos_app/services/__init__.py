"""Use cases of the counter (enroll, identify, award, redeem, return, adjust, reports), one transaction each."""

from pos_app.services.errors import ServiceError
from pos_app.services.staff import Approval, StaffView
from pos_app.services.terminal import MemberView, Services, open_terminal

__all__ = ["Approval", "MemberView", "ServiceError", "Services", "StaffView", "open_terminal"]
