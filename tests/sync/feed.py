"""Tests that compare what terminals pull at two moments, on PostgreSQL: wait for the change feed's horizon first."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, func, select

from sync.server.app import run_tx


class FeedStuck(AssertionError):
    pass


def wait_for_feed(engine: Engine, timeout: float = 60.0) -> None:
    """Wait until the change feed's horizon has passed every row in the database. On PostgreSQL the horizon is
    the oldest transaction still running in the whole cluster (``db.change_high_water``): a transaction of
    another database (another test, a neighbour's report) holds it back for as long as it runs, and a pull
    meanwhile stops below the newest rows, which the terminal's next cycle receives. A test that stands for that
    next cycle (the simulation's final sync) or compares two pulls page by page waits for the horizon first."""
    from sync.server.db import change_high_water, change_tables

    deadline = time.monotonic() + timeout
    while True:
        def probe(c: Any) -> tuple[int, int]:
            high = int(c.execute(select(change_high_water(c))).scalar_one())
            newest = max(int(c.execute(select(func.max(t.c.change_id))).scalar() or 0) for t in change_tables())
            return high, newest
        high, newest = run_tx(engine, probe)
        if high >= newest:
            return
        if time.monotonic() > deadline:
            raise FeedStuck(f"the change feed's horizon stayed at {high}, below the newest row {newest}, "
                            f"for {timeout:.0f} s: a transaction of the cluster stayed open")
        time.sleep(0.01)
