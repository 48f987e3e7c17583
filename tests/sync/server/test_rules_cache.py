"""A rules version is judged by the database that holds it, whichever databases the process met before: one
server process over two databases (as in the tests; or a database recreated under a running server) whose
version 2 differs (one takes dollars, the other not) judges a dollar sale by each one's own version 2."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection

from pos_app.core.rules import Currencies, FxRate, default_rules
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.db import make_engine, migrate


def test_each_database_judges_by_its_own_rules_version(tmp_path: Path) -> None:
    with_dollars = dataclasses.replace(default_rules(2), currencies=Currencies(
        (FxRate("USD", "35.8125", datetime(2000, 1, 1, tzinfo=UTC)),)))
    bundles = {}
    for name, rules in (("baht-only", default_rules(2)), ("tourist", with_dollars)):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        migrate(url)
        engine = make_engine(url)
        try:
            assert run_tx(engine, lambda c, r=rules: svc.set_rules(c, r.to_json(), datetime.now(UTC))) == 2
            bundles[name] = run_tx(engine, lambda c: svc._rules_bundle(c, 2))
        finally:
            engine.dispose()
    assert [r.currency for r in bundles["tourist"].currencies.rates] == ["USD"]
    assert list(bundles["baht-only"].currencies.rates) == []


class _RolledBack(Exception):
    pass


def test_a_version_read_in_a_rolled_back_transaction_is_not_remembered(tmp_path: Path) -> None:
    """A connection remembers the bundle texts it read (a version never changes once stored), but not one it read
    in a transaction that then rolled back: that version never existed, and the next one stored under its number
    is the one judged."""
    with_dollars = dataclasses.replace(default_rules(2), currencies=Currencies(
        (FxRate("USD", "35.8125", datetime(2000, 1, 1, tzinfo=UTC)),)))
    url = f"sqlite:///{tmp_path / 'one'}.sqlite3"
    migrate(url)
    engine = make_engine(url, pool_size=1)
    try:
        def publish_then_fail(c: Connection) -> None:
            svc.set_rules(c, with_dollars.to_json(), datetime.now(UTC))
            assert [r.currency for r in svc._rules_bundle(c, 2).currencies.rates] == ["USD"]
            raise _RolledBack

        with pytest.raises(_RolledBack):
            run_tx(engine, publish_then_fail)
        run_tx(engine, lambda c: svc.set_rules(c, default_rules(2).to_json(), datetime.now(UTC)))
        assert list(run_tx(engine, lambda c: svc._rules_bundle(c, 2)).currencies.rates) == []
    finally:
        engine.dispose()
