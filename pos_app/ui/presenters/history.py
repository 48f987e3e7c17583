"""Qt-free screen state for the counter window: what the widgets show, decided here and unit-tested
without Qt (tests/ui/test_presenters.py). Widgets only render these values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.core.currency import format_money
from pos_app.core.i18n import N_, _
from pos_app.core.money import format_baht

HISTORY_LINES = 3  # the member panel's last entries (what fits under the member and the reward tiles at 768 px)

#: the ledger's entry kinds, as the cashier reads them
KIND_TEXT = {
    "earn": N_("Earned"),
    "redeem": N_("Redeemed"),
    "reverse": N_("Returned"),
    "adjust": N_("Adjusted"),
    "expire": N_("Expired"),
    "overdraft": N_("Overdraft"),
}


@dataclass(frozen=True)
class HistoryLine:
    when: str       # "29/11 14:05" (local time of the sale)
    what: str       # "Earned · R-000123", "Redeemed · Coffee"
    points: str     # "+49", "-120"
    negative: bool


def _when(sale_at_ms: int) -> str:
    return datetime.fromtimestamp(sale_at_ms / 1000).strftime("%d/%m %H:%M")


def history_lines(entries: Iterable[Any], reward_names: Mapping[str, str],
                  limit: int = HISTORY_LINES) -> list[HistoryLine]:
    """The member's last ``limit`` entries, newest first. ``entries`` are the services' history (oldest
    first, each with kind, points, sale_at_ms, receipt_ref, reward_code); ``reward_names`` maps a reward code
    to its name in the current language."""
    newest = sorted(entries, key=lambda e: e.sale_at_ms, reverse=True)[:limit]
    lines = []
    for entry in newest:
        template = KIND_TEXT.get(entry.kind)
        parts = [_(template) if template else entry.kind]
        if entry.reward_code:
            parts.append(reward_names.get(entry.reward_code, entry.reward_code))
        elif entry.receipt_ref:
            parts.append(entry.receipt_ref)
        points = int(entry.points)
        lines.append(HistoryLine(when=_when(entry.sale_at_ms), what=" · ".join(parts),
                                 points=f"{points:+,}", negative=points < 0))
    return lines


def _money(satang: int, minor: int | None, code: str | None) -> str:
    """``฿500.00``, or for a sale in another currency ``USD 10.00 (= ฿358.12)``."""
    if code is None or minor is None:
        return format_baht(satang)
    return _("{money} (= {baht})").format(money=format_money(minor, code), baht=format_baht(satang))


def return_summary(preview: Any) -> str:
    """What a return will do, in the cashier's words (a ``pos_app.services.returns.ReturnPreview``). A receipt
    paid in another currency shows its amounts in that currency beside the baht, and the sale's rate."""
    code = getattr(preview, "currency", None)
    lines = [
        _("Receipt {receipt} of {when}: {name} earned {points} points on {amount}.").format(
            receipt=preview.receipt_ref, when=_when(preview.sale_at_ms), name=preview.member_name,
            points=f"{preview.points_earned:,}",
            amount=_money(preview.original_satang, getattr(preview, "original_minor", None), code)),
    ]
    if preview.refunded_before_satang:
        lines.append(_("Already returned before: {amount}.").format(
            amount=_money(preview.refunded_before_satang, getattr(preview, "refunded_before_minor", None), code)))
    lines.append(_("This return refunds {amount} and takes back {points} points.").format(
        amount=_money(preview.refund_satang, getattr(preview, "refund_minor", None), code),
        points=f"{preview.points_to_take_back:,}"))
    if code is not None and getattr(preview, "fx_rate", None):
        lines.append(_("Paid in {code}: refunded at the sale's rate, {rate} baht per {code}.").format(
            code=code, rate=preview.fx_rate))
    if preview.points_to_give_back:
        lines.append(_("{points} points redeemed on this receipt are given back.").format(
            points=f"{preview.points_to_give_back:,}"))
    lines.append(_("Balance {before} -> {after} points.").format(
        before=f"{preview.balance_now:,}", after=f"{preview.balance_after:,}"))
    return "\n".join(lines)


__all__ = ["HISTORY_LINES", "KIND_TEXT", "HistoryLine", "history_lines", "return_summary"]
