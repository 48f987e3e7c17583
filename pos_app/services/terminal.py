"""The counter's use cases, composed: ``Services`` is one object made of the use-case families, each in its own
module (identify and enroll; earn; redeem; returns and voids; staff and approvals; reports; device and
maintenance). Each use case is one ledger transaction, records who did it, and is idempotent given its operation
id: a retry with the same ``op_id`` returns the first answer and changes nothing (``ServicesBase._once``).
Every public method runs under the one error translation (``base.run_translated``): callers meet
``ServiceError`` refusals, never ledger or database errors.

Nothing here touches Qt or the network; the UI runs these on its single writer thread, the CLI calls them
directly, and tests call them on real files. The names below stay importable from here (the window and the
CLI import them from ``pos_app.services.terminal``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pos_app.core.rules import default_rules
from pos_app.ledger.db import LedgerError
from pos_app.ledger.repository import Ledger
from pos_app.services.approvals import StaffUseCases
from pos_app.services.base import BANGKOK, DEFAULT_REDEEM_APPROVAL_THRESHOLD, MemberView, ServicesBase
from pos_app.services.device import DeviceUseCases
from pos_app.services.earn import AwardResult, EarnUseCases
from pos_app.services.errors import Unavailable
from pos_app.services.identify import IdentifyUseCases, MemberService
from pos_app.services.member_search import MemberSummary
from pos_app.services.redeem import RedeemResult, RedeemUseCases, RewardView
from pos_app.services.reports import DailyReport, ReportLine, ReportUseCases
from pos_app.services.returns import AdjustResult, CorrectionUseCases, ReturnResult
from pos_app.services.voids import DEFAULT_VOID_WINDOW_MINUTES, Voidable, VoidResult
from pos_app.services.vouchers import VoucherUseCases


class Services(IdentifyUseCases, EarnUseCases, RedeemUseCases, CorrectionUseCases, StaffUseCases, ReportUseCases,
               DeviceUseCases, VoucherUseCases, ServicesBase):
    """Use cases on one terminal's ledger. ``clock`` returns milliseconds since the epoch (UTC)."""

    def __init__(self, ledger: Ledger, clock: Callable[[], int] | None = None) -> None:
        super().__init__(ledger, clock)
        self.members = MemberService(self)


def open_terminal(data_dir: Path, clock: Callable[[], int] | None = None,
                  ids: Callable[[], str] | None = None) -> Services:
    """Open (creating on first use) the terminal in ``data_dir``; ``clock`` (ms) and ``ids`` are the terminal's
    time and id sources (the wall clock and UUIDv7 unless a test or the simulation injects its own)."""
    try:
        ledger = Ledger.open(Path(data_dir), clock=clock, ids=ids)
    except LedgerError as exc:
        raise Unavailable(exc.message) from exc
    services = Services(ledger, clock)
    services.void_window_ms = _configured_void_window_ms(data_dir)
    with ledger.write() as conn:
        if ledger.get_meta(conn, "rules_version") is None:
            bundle = default_rules(1)
            ledger.put_rules(conn, bundle.version, bundle.to_json())
            ledger.set_meta(conn, "rules_version", str(bundle.version))
    return services

def _configured_void_window_ms(data_dir: Path) -> int:
    """``[terminal] void_window_minutes`` of the terminal's terminal.toml (the default when there is no file or
    it is broken: ``doctor`` and the window report a broken file, not this)."""
    from pos_app.config import ConfigError, load_config

    try:
        return load_config(data_dir).terminal.void_window_minutes * 60_000
    except ConfigError:
        return DEFAULT_VOID_WINDOW_MINUTES * 60_000


__all__ = [
    "BANGKOK", "DEFAULT_REDEEM_APPROVAL_THRESHOLD", "DEFAULT_VOID_WINDOW_MINUTES", "AdjustResult", "AwardResult",
    "DailyReport", "MemberService", "MemberSummary", "MemberView", "RedeemResult", "ReportLine", "ReturnResult",
    "RewardView", "Services", "VoidResult", "Voidable", "open_terminal",
]
