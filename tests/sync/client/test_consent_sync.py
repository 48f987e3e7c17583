"""Consent records (PDPA, issue 14): asked at enrollment for the loyalty program and, separately, for marketing
messages; a withdrawal of marketing consent at another counter is a record that reaches the server and every
terminal. Real ledgers, real services, the real sync client, the real server app (its SQLite demo database)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pos_app.services.errors import NotAllowed
from pos_app.services.identify import CONSENT_TEXT_VERSION
from sync.server import models as m
from sync.server import service as svc
from sync.server.privacy import member_export
from tests.sync.client.harness import InProcessServer, Term, make_server_template


@pytest.fixture
def server(tmp_path: Path) -> Iterator[InProcessServer]:
    srv = InProcessServer.from_template(make_server_template(tmp_path / "template"), tmp_path / "server")
    yield srv
    srv.stop()


def marketing_at(term: Term, member_id: str) -> bool | None:
    with term.services.ledger.read() as conn:
        member = term.services.ledger.get_member(conn, member_id)
    assert member is not None
    return member.marketing_consent


def test_marketing_consent_given_at_enrollment_and_withdrawn_at_another_counter_reaches_everyone(
        server: InProcessServer, tmp_path: Path) -> None:
    a, b = Term("a", tmp_path / "a", server), Term("b", tmp_path / "b", server)
    try:
        for t in (a, b):
            t.enroll()
            t.sync()
        member = a.services.members.enroll(name="Consent Person", phone="0851112222", operator_id="cashier1",
                                           marketing=True)
        recorded = a.services.members.consents(member.id)
        assert [(c["purpose"], c["granted"], c["text_version"], c["staff_id"]) for c in recorded] == [
            ("loyalty", True, CONSENT_TEXT_VERSION, "cashier1"), ("marketing", True, CONSENT_TEXT_VERSION,
                                                                  "cashier1")]
        assert recorded[0]["branch_id"] is not None  # where: the terminal's branch
        a.sync()
        b.sync()
        assert marketing_at(b, member.id) is True

        # At another counter the member withdraws marketing consent: a record, synced everywhere.
        assert b.services.members.set_marketing_consent(member.id, granted=False, operator_id="cashier2") is False
        b.sync()
        a.sync()
        assert marketing_at(a, member.id) is False and marketing_at(b, member.id) is False
        rows = server.tx(lambda c: c.execute(select(m.consents).where(m.consents.c.member_id == member.id)
                                             .order_by(m.consents.c.at, m.consents.c.seq)).all())
        assert [(r.purpose, r.granted, r.staff_id, r.terminal_id) for r in rows] == [
            ("loyalty", True, "cashier1", a.services.terminal_id), ("marketing", True, "cashier1",
                                                                     a.services.terminal_id),
            ("marketing", False, "cashier2", b.services.terminal_id)]
        assert server.member(member.id).marketing_consent is False
        export = server.tx(lambda c: member_export(c, member.id, datetime.now(UTC)))
        assert [(c["purpose"], c["granted"], c["text_version"]) for c in export["consents"]] == [
            ("loyalty", True, CONSENT_TEXT_VERSION), ("marketing", True, CONSENT_TEXT_VERSION),
            ("marketing", False, CONSENT_TEXT_VERSION)]
        assert export["marketing_consent"] is False and export["consents"][2]["branch"]["code"] == "BKK01"

        # After an erasure the member's consent can no longer be changed at a counter (the card is refused).
        server.tx(lambda c: svc.erase_member(c, member.id, "request #12", "dpo", svc.utcnow()))
        a.sync()
        with pytest.raises(NotAllowed) as refused:
            a.services.members.set_marketing_consent(member.id, granted=True, operator_id="cashier1")
        assert refused.value.code == "member_erased"
        assert a.services.ledger.verify().ok
    finally:
        a.close()
        b.close()
