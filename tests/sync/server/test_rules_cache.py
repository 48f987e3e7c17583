"""A rules version is judged by the database that holds it, whichever databases the process met before: one
server process over two databases (as in the tests; or a database recreated under a running server) whose
version 2 differs (one takes dollars, the other not) judges a dollar sale by each one's own version 2."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

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
