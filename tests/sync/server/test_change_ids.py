"""Change ids after a server upgrade or a restore: new ids always land above every id a terminal may already
hold as its cursor (the floor of sync/server/db.py), so no terminal misses what is written afterwards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select, update

from sync.server import models as m
from sync.server.app import create_app
from sync.server.config import Settings
from sync.server.db import CHANGE_SHIFT, FLOOR_COUNTER, take_change_ids
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres


def _highest(engine: Engine) -> int:
    with engine.connect() as conn:
        return max(int(conn.execute(select(m.members.c.change_id).order_by(m.members.c.change_id.desc())
                                    .limit(1)).scalar() or 0),
                   int(conn.execute(select(m.entries.c.change_id).order_by(m.entries.c.change_id.desc())
                                    .limit(1)).scalar() or 0))


def test_after_a_restore_into_a_new_cluster_terminals_still_get_new_changes(
        settings: Settings, engine: Engine, enroll_code: Callable[[], str]) -> None:
    with TestClient(create_app(settings, engine)) as http:
        a, b = Terminal(http), Terminal(http)  # type: ignore[arg-type]
        assert a.enroll(enroll_code()).status_code == 200 and b.enroll(enroll_code()).status_code == 200
        member = a.member()
        a.upload_ok([member, a.earn(member["member"]["id"], 100_000)])
        b.pull_all()
    # What a restore into a new cluster looks like: ids in the tables far above what this cluster's transaction
    # ids give, with the floor row restored as it was (it knew nothing of the new cluster).
    ahead = 10_000_000 << CHANGE_SHIFT
    with engine.begin() as conn:
        conn.execute(update(m.members).where(m.members.c.id == member["member"]["id"])
                     .values(change_id=m.members.c.change_id + ahead))
    engine.dispose()  # connections cache the floor: a restarted server has new ones
    b.cursor = _highest(engine)  # b saw everything up to the restored ids
    with TestClient(create_app(settings, engine)) as http:  # a server process starting on the restored database
        a.http = b.http = http  # type: ignore[assignment]
        earn = a.earn(member["member"]["id"], 250_000)
        a.upload_ok([earn])
        got = b.pull_all()
    assert [c["entry"]["id"] for c in got if c["type"] == "entry"] == [earn["entry"]["id"]]
    assert b.cursor > _highest(engine) - 1


def test_ids_of_one_transaction_are_consecutive_and_above_the_old_counter(engine: Engine) -> None:
    with engine.begin() as conn:  # a server upgraded from the counter era: its counter is far ahead
        conn.execute(update(m.counters).where(m.counters.c.name == "change").values(value=(1 << 40) + 5))
        conn.execute(delete(m.counters).where(m.counters.c.name == FLOOR_COUNTER))
    engine.dispose()
    with engine.begin() as conn:
        first = take_change_ids(conn, 3)
        second = take_change_ids(conn, 2)
    assert first > (1 << 40) + 5
    assert second == first + 3  # one transaction's ids never collide
    with engine.begin() as conn:
        later = take_change_ids(conn, 1)
    assert later > second + 1
    with pytest.raises(ValueError, match="must be positive"):
        with engine.begin() as conn:
            take_change_ids(conn, 0)
    with pytest.raises(ValueError, match="changes in one transaction"):
        with engine.begin() as conn:
            take_change_ids(conn, 1 << CHANGE_SHIFT)
