"""Name search on the member panel: when the text typed is a name (not a code, card number or phone), the
members whose name contains it, as a short list the cashier picks from. No phone number is shown, not even
masked (PDPA, docs/privacy.md): the name, the tier and the card's last four digits tell two members apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pos_app.core.i18n import _
from pos_app.core.member_codes import classify_scan
from pos_app.ui.presenters.member import tier_name

RESULTS_SHOWN = 5  # result buttons on the member panel (what fits at 768 px); asked for one more to know


def looks_like_a_name(text: str) -> bool:
    """Letters that are no code, card number or phone: search the names."""
    text = text.strip()
    return classify_scan(text) == "unknown" and sum(ch.isalpha() for ch in text) >= 1


class SearchPresenter:
    def __init__(self) -> None:
        self.query = ""
        self.results: list[Any] = []  # the services' MemberSummary, best match first

    def show(self, query: str, results: Sequence[Any]) -> None:
        self.query, self.results = query, list(results)

    def clear(self) -> None:
        self.show("", [])

    @property
    def shown(self) -> list[Any]:
        return self.results[:RESULTS_SHOWN]

    def title(self) -> str:
        if not self.results:
            return ""
        if len(self.results) > RESULTS_SHOWN:
            return _("More than {count} members match “{query}”: type more of the name, or choose").format(
                count=RESULTS_SHOWN, query=self.query)
        return _("{count} members match “{query}”: choose one").format(count=len(self.results), query=self.query)

    def lines(self, tier_names: Mapping[str, tuple[str, str]]) -> list[str]:
        """One line per member: name, tier, the card's last four digits (no phone, not even masked)."""
        out = []
        for result in self.shown:
            parts = [result.name, tier_name(result.tier, tier_names)]
            parts.append(_("card …{digits}").format(digits=result.card_suffix))
            out.append(" · ".join(parts))
        return out

    def member_id(self, index: int) -> str | None:
        shown = self.shown
        return shown[index].id if 0 <= index < len(shown) else None


__all__ = ["RESULTS_SHOWN", "SearchPresenter", "looks_like_a_name"]
