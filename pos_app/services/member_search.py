"""Find a member by part of their name: a short list the cashier picks from (``identify`` stays the way for an
exact card, member code or phone).

The name matches anywhere, case-insensitively for Latin letters (Thai has no case); names that start with the
text come first, then names with a word that starts with it. Each result shows only what the cashier needs to
tell people apart with the customer in front of them: name, tier, the phone masked as the slips mask a card
(``•••-•••-5678``) and the last four digits of the card.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.core.i18n import _
from pos_app.core.phone import mask_phone
from pos_app.services.errors import InvalidInput

if TYPE_CHECKING:
    from pos_app.services.terminal import Services

MIN_SEARCH_CHARS = 2
MAX_SEARCH_CHARS = 60
MAX_SEARCH_RESULTS = 50
DEFAULT_SEARCH_RESULTS = 10


@dataclass(frozen=True)
class MemberSummary:
    id: str
    name: str
    tier: str
    phone_masked: str   # e.g. •••-•••-5678 ("" when the member gave no phone)
    card_suffix: str    # the card number's last four digits


def _query(text: str) -> str:
    query = " ".join(unicodedata.normalize("NFC", text).split())
    if len(query) < MIN_SEARCH_CHARS:
        raise InvalidInput(_("Type at least {n} letters of the name.").format(n=MIN_SEARCH_CHARS))
    if len(query) > MAX_SEARCH_CHARS or any(unicodedata.category(c) == "Cc" for c in query):
        raise InvalidInput(_("A name to search is at most {n} letters.").format(n=MAX_SEARCH_CHARS))
    return query


def search_members(services: Services, text: str, limit: int = DEFAULT_SEARCH_RESULTS) -> list[MemberSummary]:
    """Up to ``limit`` members whose name contains ``text`` (at least two letters), best matches first."""
    query = _query(text)
    if not 1 <= limit <= MAX_SEARCH_RESULTS:
        raise InvalidInput(_("Show 1 to {n} members.").format(n=MAX_SEARCH_RESULTS))

    def run() -> list[MemberSummary]:
        with services.ledger.read() as conn:
            rows = services.ledger.search_members_by_name(conn, query, limit)
        return [MemberSummary(id=r.id, name=r.name, tier=r.tier, phone_masked=mask_phone(r.phone),
                              card_suffix=r.card_no[-4:]) for r in rows]

    result: list[MemberSummary] = services._call(run)
    return result


__all__ = ["MemberSummary", "search_members"]
