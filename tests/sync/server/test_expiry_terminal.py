"""Server-made expiry reaches real terminals: a counter earns, time moves past the expiry date, the server expires
what is left of the grant, the counters pull it. Real ledgers, real services, the real sync client, the real
server app (its SQLite demo database; the PostgreSQL side of the job is in test_expiry.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pos_app.core.expiry import due_expiries, expiring_within
from pos_app.core.rules import default_rules
from pos_app.services import sync_glue
from sync.server import models as m
from sync.server.expiry import _moves, expire_points
from tests.sync.client.harness import InProcessServer, Term, make_server_template

DAY_MS = 86_400_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[InProcessServer]:
    srv = InProcessServer.from_template(make_server_template(tmp_path / "template"), tmp_path / "server")
    yield srv
    srv.stop()


def test_an_enrolled_terminal_gets_the_servers_expiry_and_agrees_on_balance_and_expiring_soon(
        server: InProcessServer, tmp_path: Path) -> None:
    shift = {"ms": 0}

    def clock() -> int:  # the counters' clock; moved forward to "live" two years in a moment
        return time.time_ns() // 1_000_000 + shift["ms"]

    a = Term("a", tmp_path / "a", server, clock=clock)
    b = Term("b", tmp_path / "b", server, clock=clock)
    try:
        for t in (a, b):
            t.enroll()
            t.sync()
        member = a.services.members.enroll(name="Member 0001", phone="0830000001", operator_id="cashier1").id
        a.services.award(member_id=member, amount_satang=250_000, receipt_ref="R-1", operator_id="cashier1")  # 100
        a.sync()
        shift["ms"] = 20 * DAY_MS  # 20 days later: another purchase, and a redemption (FIFO: from the first grant)
        a.sync()
        a.services.award(member_id=member, amount_satang=100_000, receipt_ref="R-2", operator_id="cashier1")  # 40
        sync_glue.redeem(a.services, a.sync_client(), member_id=member, points=30, operator_id="cashier1")
        a.sync()
        assert server.balances()[member] == 110

        # Two years and two days after the first purchase: 70 left of the first grant are due; the second grant
        # (40) expires 18 days later, so it is "expiring soon".
        shift["ms"] = (365 * 2 + 2) * DAY_MS
        now = datetime.fromtimestamp(clock() / 1000, UTC)
        assert server.engine is not None
        run = expire_points(server.engine, now)
        assert run.ran and run.points == 70 and run.entries == 1
        assert server.balances()[member] == 40
        assert server.verify() == []
        expire_points(server.engine, now + timedelta(hours=1))  # the next hourly run: nothing more
        assert server.balances()[member] == 40

        assert a.balances()[member] == 110  # not pulled yet: the counter still shows the expired points
        for t in (a, b):
            t.sync()
            assert t.balances()[member] == 40
            view = t.services.members.get(member)
            assert view.balance == 40 and view.expiring_soon == 40
            lots = {lot.granted: lot.remaining for lot in t.services.lots(member)}
            assert lots == {100: 0, 40: 40}
            assert t.services.expire_due() == {}  # enrolled: the terminal never expires on its own
            kinds = [e.kind for e in t.services.history(member)]
            assert kinds.count("expire") == 1
        # the server's own view of the member agrees with the counters'
        rows = server.tx(lambda c: list(c.execute(select(m.entries).where(m.entries.c.member_id == member))))
        policy = default_rules(1).expiry
        assert due_expiries(_moves(rows), policy, now) == []
        assert expiring_within(_moves(rows), policy, now, days=30) == 40
        assert set(a.entry_ids()) == set(b.entry_ids()) == set(server.entry_ids())
    finally:
        a.close()
        b.close()
