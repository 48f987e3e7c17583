"""The member panel: who the member is and what they can ask about before they ask (tier and progress to the
next tier, balance with the points not yet confirmed by the server, points expiring soon and when)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pos_app.core.i18n import _, get_language
from pos_app.ui.presenters.history import HistoryLine, history_lines


def tier_name(code: str, names: Mapping[str, tuple[str, str]]) -> str:
    """A tier's name in the current language (``names``: code -> (Thai, English)); the code if unknown."""
    pair = names.get(code)
    if pair is None:
        return code
    return pair[0] if get_language() == "th" else pair[1]


def _date(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%d/%m/%Y")


class MemberPresenter:
    """State of the member panel. ``member`` is the services' ``MemberView``; ``standing`` their
    ``MemberStanding`` (tier progress, pending and expiring points) or None until it has been read."""

    def __init__(self) -> None:
        self.member: Any = None
        self.standing: Any = None
        self.tier_names: dict[str, tuple[str, str]] = {}
        self.history: list[Any] = []
        self.history_generation = 0

    # ---- state changes
    def show(self, member: Any) -> bool:
        """Show ``member`` (None: nobody). True when it is another member than before (forms are reset)."""
        changed = member is None or self.member is None or member.id != self.member.id
        self.member = member
        if changed:
            self.standing = None
            self.history = []
            self.history_generation += 1
        return changed

    def refreshed(self, member: Any) -> bool:
        """A re-read of the member shown (after an operation or a sync pull); ignored for another member."""
        if member is None or self.member is None or member.id != self.member.id:
            return False
        self.member = member
        return True

    def is_shown(self, member_id: str | None) -> bool:
        return self.member is not None and member_id is not None and self.member.id == member_id

    # ---- what the panel says
    def name_text(self) -> str:
        return self.member.name if self.member is not None else _("No member yet")

    def balance_text(self) -> str:
        if self.member is None:
            return ""
        return _("{points} points").format(points=f"{self.member.balance:,}")

    def pending_text(self) -> str:
        """Points earned here and not yet confirmed by the server (offline or waiting to be sent)."""
        standing = self.standing
        if self.member is None or standing is None or not standing.pending_points:
            return ""
        return _("{points} pending").format(
            points=f"{standing.pending_points:+,}")

    def pending_hint(self) -> str:
        return _("Earned at this counter and not yet confirmed by the loyalty server (it is sent at the next "
                 "sync).") if self.pending_text() else ""

    def tier_text(self) -> str:
        if self.member is None:
            return ""
        text = _("Tier: {tier}").format(tier=tier_name(self.member.tier, self.tier_names))
        standing = self.standing
        if standing is not None and standing.next_tier is not None:
            text += " · " + _("{points} points to {tier}").format(
                points=f"{standing.points_to_next:,}", tier=tier_name(standing.next_tier, self.tier_names))
        elif standing is not None:
            text += " · " + _("highest tier")
        return text

    def tier_progress(self) -> tuple[int, int] | None:
        """(earned in the period, threshold of the next tier) for a progress bar; None at the top tier."""
        standing = self.standing
        if self.member is None or standing is None or standing.next_tier is None:
            return None
        target = standing.earned_in_period + standing.points_to_next
        return standing.earned_in_period, max(target, 1)

    def notes_text(self) -> str:
        """Points expiring within 30 days (and from when), a manager's flag."""
        member = self.member
        if member is None:
            return ""
        notes = []
        standing = self.standing
        if standing is not None and standing.expiring_points > 0 and standing.expiring_first_ms is not None:
            notes.append(_("{points} points expire within 30 days, the first on {date}").format(
                points=f"{standing.expiring_points:,}", date=_date(standing.expiring_first_ms)))
        elif member.expiring_soon > 0:
            notes.append(_("{points} points expire within 30 days").format(points=f"{member.expiring_soon:,}"))
        if member.flagged:
            notes.append(_("Flagged for a manager: {reason}").format(reason=member.flagged))
        return " · ".join(notes)

    def history_lines(self, reward_names: Mapping[str, str]) -> list[HistoryLine]:
        return history_lines(self.history, reward_names) if self.member is not None else []


__all__ = ["MemberPresenter", "tier_name"]
