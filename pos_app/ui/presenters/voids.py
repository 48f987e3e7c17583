"""Void of the last operations: what each voidable operation was, in the cashier's words, and what a void did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pos_app.core.i18n import N_, _
from pos_app.core.money import format_baht

VOIDS_SHOWN = 5
KIND_TEXT = {"earn": N_("Award"), "redeem": N_("Redemption"), "adjust": N_("Adjustment")}


def _time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M")


class VoidPresenter:
    def __init__(self) -> None:
        self.operations: list[Any] = []   # the services' Voidable, newest first
        self.chosen: int | None = None

    def show(self, operations: Sequence[Any]) -> None:
        self.operations = list(operations)[:VOIDS_SHOWN]
        self.chosen = 0 if self.operations else None

    def choose(self, index: int) -> None:
        self.chosen = index if 0 <= index < len(self.operations) else None

    @property
    def entry_id(self) -> str | None:
        return self.operations[self.chosen].entry_id if self.chosen is not None else None

    def line(self, op: Any, reward_names: Mapping[str, str]) -> str:
        parts = [_time(op.recorded_at_ms), _(KIND_TEXT.get(op.kind, op.kind)), op.member_name]
        if op.reward_code:
            parts.append(reward_names.get(op.reward_code, op.reward_code))
        elif op.receipt_ref:
            parts.append(op.receipt_ref)
        if op.kind == "earn" and op.amount_satang:
            parts.append(format_baht(op.amount_satang))
        parts.append(_("{points} points").format(points=f"{op.points:+,}"))
        return " · ".join(parts)

    def lines(self, reward_names: Mapping[str, str]) -> list[str]:
        return [self.line(op, reward_names) for op in self.operations]

    def prompt(self, window_minutes: int) -> str:
        if not self.operations:
            return _("Nothing to void: no award or redemption of this counter in the last {minutes} minutes.").format(
                minutes=window_minutes)
        return _("Choose the operation to void (this counter, the last {minutes} minutes). A manager approves "
                 "it; the points go back as they were.").format(minutes=window_minutes)


def void_done_text(result: Any) -> str:
    """The status line after a void (a ``pos_app.services.voids.VoidResult``)."""
    return _("Done: {kind} voided, {points} points. New balance {balance} points.").format(
        kind=_(KIND_TEXT.get(result.kind, result.kind)).lower(), points=f"{result.points:+,}",
        balance=f"{result.balance_after:,}")


__all__ = ["KIND_TEXT", "VOIDS_SHOWN", "VoidPresenter", "void_done_text"]
