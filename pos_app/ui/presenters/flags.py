"""The back office's Flags and Approvals pages, Qt-free: what each flag sync raised for the branch means in the
manager's words, which ones still want a look (not acknowledged: first), and the approvals log's lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pos_app.core.flags import flag_label
from pos_app.core.i18n import N_, _
from pos_app.core.money import format_baht

APPROVAL_TEXT = {"earn": N_("Award"), "redeem": N_("Redemption"), "adjust": N_("Adjustment"),
                 "reverse": N_("Return"), "return": N_("Return"), "void": N_("Void"), "pin_failed": N_("Wrong manager PIN"),
                 "pin_lockout": N_("Manager PIN locked"), "self_approval_refused": N_("Own operation (refused)")}


def _when(ms: int | None) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M") if ms else ""


def flag_text(kind: str) -> str:
    return flag_label(kind)


class FlagsPresenter:
    def __init__(self) -> None:
        self.flags: list[Any] = []       # pos_app.services.backoffice.BranchFlag
        self.fetched_at_ms: int | None = None
        self.truncated = False
        self.chosen: int | None = None

    def show(self, state: Any) -> None:
        """``state``: a ``BranchFlags``; the first flag still to acknowledge is chosen."""
        self.flags = list(state.flags)
        self.fetched_at_ms = state.fetched_at_ms
        self.truncated = state.truncated
        self.chosen = next((i for i, f in enumerate(self.flags) if f.acknowledged_by is None), None)

    def choose(self, row: int) -> None:
        self.chosen = row if 0 <= row < len(self.flags) else None

    @property
    def chosen_key(self) -> str | None:
        return self.flags[self.chosen].key if self.chosen is not None else None

    def can_acknowledge(self) -> bool:
        return self.chosen is not None and self.flags[self.chosen].acknowledged_by is None

    def waiting(self) -> int:
        return sum(1 for f in self.flags if f.acknowledged_by is None)

    def summary(self) -> str:
        if self.fetched_at_ms is None and not self.flags:
            return _("No flags yet: this counter has not synced with head office since it was set up.")
        parts = []
        if not self.flags:
            parts.append(_("No open flags for this branch."))
        else:
            parts.append(_("{n} open flags, {waiting} not yet acknowledged here.").format(
                n=f"{len(self.flags):,}", waiting=f"{self.waiting():,}"))
        if self.fetched_at_ms is not None:
            parts.append(_("As of the sync at {when}.").format(when=_when(self.fetched_at_ms)))
        if self.truncated:
            parts.append(_("Head office has more: the oldest are shown."))
        parts.append(_("Head office resolves flags; acknowledging says this store has seen one."))
        return " ".join(parts)

    def headers(self) -> list[str]:
        return [_("Raised"), _("What"), _("Member"), _("Where"), _("Acknowledged")]

    def rows(self) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for f in self.flags:
            where = _("This counter") if f.this_terminal else (f.terminal_id or "")
            detail = flag_text(f.kind)
            if f.kind == "overdraft" and "shortfall" in f.details:
                detail += "\n" + _("{points} points short").format(points=f"{int(f.details['shortfall']):,}")
            elif f.kind == "quarantined" and f.details.get("reason"):
                detail += "\n" + str(f.details["reason"])
            elif f.kind == "voucher_reward_redeemed" and f.details.get("reward_code"):
                detail += "\n" + _("Reward {code} buys a voucher; none was issued for these points").format(
                    code=f.details["reward_code"])
            ack = "" if f.acknowledged_by is None else f"{f.acknowledged_by}\n{_when(f.acknowledged_at_ms)}"
            out.append((_when(f.raised_at_ms), detail, f.member_name or "", where, ack))
        return out


class ApprovalsPresenter:
    def __init__(self) -> None:
        self.lines: list[Any] = []       # pos_app.services.backoffice.ApprovalLine
        self.date_from = ""
        self.date_to = ""

    def show(self, date_from: str, date_to: str, lines: Sequence[Any]) -> None:
        self.date_from, self.date_to, self.lines = date_from, date_to, list(lines)

    def title(self) -> str:
        if not self.date_from:
            return ""
        span = self.date_from if self.date_from == self.date_to else f"{self.date_from} – {self.date_to}"
        refused = sum(1 for x in self.lines if x.refused)
        text = _("Approvals {span}: {n} approved").format(span=span, n=f"{len(self.lines) - refused:,}")
        if refused:
            text += ", " + _("{n} refused").format(n=f"{refused:,}")
        return text

    def headers(self) -> list[str]:
        return [_("When"), _("What"), _("Cashier"), _("Manager"), _("Member"), _("Points"), _("Amount")]

    def rows(self) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for x in self.lines:
            kind = "void" if x.what == "reverse" and x.reason == "void" else x.what
            what = _(APPROVAL_TEXT[kind]) if kind in APPROVAL_TEXT else kind
            if x.refused and x.reason:
                what += "\n" + (_(APPROVAL_TEXT[x.reason]) if x.reason in APPROVAL_TEXT else x.reason)
            points = f"{x.points:+,}" if x.points is not None else ""
            amount = format_baht(x.amount_satang) if x.amount_satang else ""
            out.append((_when(x.at_ms), what, x.operator_name or "", x.approver_name or "", x.member_name or "",
                        points, amount))
        return out

    def refused_rows(self) -> list[bool]:
        return [x.refused for x in self.lines]


__all__ = ["APPROVAL_TEXT", "ApprovalsPresenter", "FlagsPresenter", "flag_text"]
