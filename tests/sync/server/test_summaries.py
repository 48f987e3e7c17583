"""The dashboard's totals (sync/server/summaries.py) put each entry on its Bangkok day, its terminal's branch (the
server's own entries under "HQ") and its kind, and leave quarantined entries out; PostgreSQL adds them up in the
database, the embedded SQLite demo in Python: both give the same cells."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, insert, select

from sync import protocol as p
from sync.server import models as m
from sync.server import summaries
from sync.server.app import run_tx
from sync.server.console import auth, pages
from sync.server.db import make_engine, migrate, take_change_ids
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

# (terminal, sale_at, kind, points, quarantined): 17:00 UTC is midnight in Bangkok
ROWS = [("T", "2026-03-01T16:59:59.999Z", "earn", 10, False),
        ("T", "2026-03-01T17:00:00.000Z", "earn", 20, False),
        ("T", "2026-03-01T17:30:00.000Z", "redeem", -5, False),
        (p.SERVER_TERMINAL_ID, "2026-03-01T18:00:00.000Z", "expire", -3, False),
        ("T", "2026-03-01T18:00:00.000Z", "earn", 1000, True)]
EXPECTED = {(date(2026, 3, 1), "BKK01", "earn"): 10, (date(2026, 3, 2), "BKK01", "earn"): 20,
                    (date(2026, 3, 2), "BKK01", "redeem"): -5, (date(2026, 3, 2), "HQ", "expire"): -3}


def nonzero(counts: Counter[tuple[date, str, str]]) -> dict[tuple[date, str, str], int]:
    return {k: v for k, v in counts.items() if v}


def cells(conn: Connection) -> Counter[tuple[date, str, str]]:
    return Counter({(r.day, r.branch, r.kind): int(r.points) for r in conn.execute(select(m.entry_totals))
                    if r.day in (date(2026, 3, 1), date(2026, 3, 2))})


def write_rows(conn: Connection, terminal_id: str, member_id: str) -> None:
    first = take_change_ids(conn, len(ROWS))
    for i, (who, sale_at, kind, points, quarantined) in enumerate(ROWS):
        tid = terminal_id if who == "T" else who
        conn.execute(insert(m.entries).values(
            id=f"sum-{first + i}", terminal_id=tid, seq=10_000_000 + first + i, member_id=member_id, kind=kind,
            points=points, sale_at=sale_at, payload="{}", content_hash="0" * 64, change_id=first + i,
            received_at=datetime.now(UTC), quarantined=quarantined))


def test_totals_by_bangkok_day_branch_and_kind_on_postgresql(
        client: TestClient, engine: Engine, new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    t = new_terminal(client)
    member = t.member()
    t.upload_ok([member])
    summaries.refresh_all(engine)
    before = run_tx(engine, cells)
    run_tx(engine, lambda c: write_rows(c, t.terminal_id, member["member"]["id"]))
    assert summaries.refresh_all(engine).rows == 4  # the quarantined one is left out
    after = run_tx(engine, cells)
    after.subtract(before)
    assert nonzero(after) == EXPECTED
    assert summaries.refresh_all(engine).rows == 0  # a second refresh adds nothing

    # the dashboard's figures from these totals: per day, per branch, and an area manager sees their branches only
    def dashboard(role: str, branches: tuple[str, ...]) -> dict[str, Any]:
        user = auth.User(id=1, username="u", display_name="U", role=role, branches=branches)
        return run_tx(engine, lambda c: pages._dashboard(c, user, date(2026, 3, 1), date(2026, 3, 2), lambda _c: 7))

    admin = dashboard("admin", ())
    assert admin["days"] == [{"day": date(2026, 3, 1), "issued": 10, "redeemed": 0, "expired": 0},
                             {"day": date(2026, 3, 2), "issued": 20, "redeemed": 5, "expired": 3}]
    assert admin["branches"] == [{"branch": "BKK01", "issued": 30, "redeemed": 5, "expired": 0},
                                 {"branch": "HQ", "issued": 0, "redeemed": 0, "expired": 3}]
    assert admin["totals"] == {"issued": 30, "redeemed": 5, "expired": 3} and admin["members_count"] == 7
    area = dashboard("area", ("BKK01",))
    assert area["branches"] == [{"branch": "BKK01", "issued": 30, "redeemed": 5, "expired": 0}]
    assert area["totals"] == {"issued": 30, "redeemed": 5, "expired": 0}
    assert dashboard("area", ("CNX01",))["totals"] == {"issued": 0, "redeemed": 0, "expired": 0}


def test_the_sqlite_demo_gives_the_same_cells(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate(url)
    engine = make_engine(url)
    try:
        def setup(conn: Connection) -> None:
            conn.execute(insert(m.branches).values(id="b1", code="BKK01", name="Bangkok 1", created_at=datetime.now(UTC)))
        run_tx(engine, setup)
        run_tx(engine, lambda c: c.exec_driver_sql(
            "INSERT INTO terminals (id, branch_id, name, app_version, credential_sha256, credential_expires_at, "
            "applied_seq, enrolled_at) VALUES ('BKK01-1', 'b1', '', '0', 'x', '2100-01-01 00:00:00', 0, "
            "'2026-01-01 00:00:00')"))
        run_tx(engine, lambda c: write_rows(c, "BKK01-1", "member-1"))
        assert summaries.refresh_all(engine).rows == 4
        assert nonzero(run_tx(engine, cells)) == EXPECTED
    finally:
        engine.dispose()
