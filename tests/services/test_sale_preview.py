"""The award's live preview for a bill in another currency: the same conversion and points the award records,
and the same refusals (no rate, a currency the branch does not take), with nothing written."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from pos_app.services.errors import InvalidInput

JAN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def member(services):
    from pos_app.core.rules import Currencies, FxRate

    rules = services.active_rules()
    services.install_rules(dataclasses.replace(rules, version=rules.version + 1, currencies=Currencies(
        (FxRate("USD", "35.8125", JAN), FxRate("JPY", "0.2251", JAN)))))
    return services.members.enroll(name="สมหญิง รักไทย", phone="0812345678", operator_id="cashier-1")


def test_the_preview_of_a_dollar_sale_is_what_the_award_records(services, member) -> None:
    preview = services.preview_sale(member.id, currency="USD", amount_minor=4000)
    assert (preview.currency, preview.amount_minor, preview.fx_rate, preview.amount_satang, preview.points) == \
        ("USD", 4000, "35.8125", 143_250, 57)
    assert services.history(member.id) == []  # nothing recorded
    result = services.award(member_id=member.id, currency="USD", amount_minor=4000, receipt_ref="R-1",
                            operator_id="cashier-1")
    assert (result.amount_satang, result.fx_rate, result.points) == (preview.amount_satang, preview.fx_rate,
                                                                     preview.points)


def test_a_small_yen_sale_previews_zero_points_and_where_points_start(services, member) -> None:
    preview = services.preview_sale(member.id, currency="JPY", amount_minor=100)
    assert (preview.amount_satang, preview.points, preview.points_start_satang) == (2_251, 0, 2_500)
    baht = services.preview_sale(member.id, amount_satang=2_251)
    assert (baht.currency, baht.fx_rate, baht.amount_satang, baht.points) == (None, None, 2_251, 0)


def test_the_preview_refuses_as_the_award_would(refused, services, member) -> None:
    version = services.active_rules().version
    with refused(InvalidInput, "invalid_input",
                 f"There is no rate for EUR in the rules (version {version}); nothing was recorded."):
        services.preview_sale(member.id, currency="EUR", amount_minor=4000)
    with refused(InvalidInput, "invalid_input", "The amount must be more than zero."):
        services.preview_sale(member.id, currency="USD", amount_minor=0)
    with refused(InvalidInput, "invalid_input", "The amount must be more than zero."):
        services.preview_sale(member.id)
    assert services.history(member.id) == []


def test_a_void_of_a_dollar_award_carries_the_whole_sale_in_dollars_at_its_rate(services, member) -> None:
    """The server checks a return's share of a foreign sale at the sale's rate: a void is the whole of it."""
    from pos_app.services import Approval
    from sync.records import check_entry

    award = services.award(member_id=member.id, currency="USD", amount_minor=4000, receipt_ref="R-V",
                           operator_id="cashier-1")
    services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=Approval("9999"))
    reverse = services.history(member.id)[-1]
    assert (reverse.kind, reverse.reason, reverse.points, reverse.currency, reverse.amount_minor, reverse.fx_rate,
            reverse.amount_satang) == ("reverse", "void", -57, "USD", 4000, "35.8125", 143_250)
    with services.ledger.read() as conn:
        sent = [w["entry"] for w in services.ledger.outbox_after(conn, 0, 1000)
                if w["type"] == "entry" and w["entry"]["id"] == reverse.id]
    assert len(sent) == 1 and check_entry(sent[0], "terminal") is None
