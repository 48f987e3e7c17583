"""The admin CLI against PostgreSQL, and the SQLite demo (migrations, seed data, a sync round trip)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.cli import cli
from sync.server.db import make_engine, migrate
from sync.server.demo import DEMO_BRANCH, demo_settings, seed_demo
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres


@pytest.fixture()
def run(pg_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOYALTY_DATABASE_URL", pg_url)
    monkeypatch.setenv("LOYALTY_KEY_PASSPHRASE", "cli-test-passphrase")
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result
    return invoke


def test_admin_cli_sets_up_a_chain(run) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    run("migrate")  # idempotent
    run("branch", "add", "CNX01", "Chiang Mai")
    assert "CNX01" in run("branch", "list").output
    run("rules", "set", "--default", "1")
    run("policy", "set", "--max-per-redemption", "300")
    assert json.loads(run("--json", "policy", "show").output)["max_points_per_redemption"] == 300
    assert json.loads(run("--json", "policy", "show").output)["feed_scope"] == "chain"
    run("policy", "set", "--feed-scope", "branch")
    shown = json.loads(run("--json", "policy", "show").output)
    assert shown["feed_scope"] == "branch" and shown["max_points_per_redemption"] == 300  # the rest is kept
    result = run("policy", "set", "--feed-scope", "region", ok=False)
    assert result.exit_code == 2 and "'region' is not one of 'chain', 'branch'" in result.output
    run("staff", "set", "m1", "--name", "สมชาย", "--role", "manager", "--pin", "582047")
    run("reward", "set", "TEA", "--name-th", "ชาเย็น", "--name-en", "Thai tea", "--cost", "80")
    assert "ชาเย็น" in run("reward", "list").output
    run("keys", "add", "K1")
    run("keys", "add", "K2", "--inactive")
    run("keys", "activate", "K2")
    keys = json.loads(run("--json", "keys", "list").output)
    assert {k["key_id"]: k["active"] for k in keys} == {"K1": False, "K2": True}
    code = json.loads(run("--json", "terminal", "code", "CNX01").output)["code"]
    assert len(code) == 14
    assert "no open flags" in run("flags", "list").output
    assert "all balances" in run("verify").output
    assert json.loads(run("--json", "member", "resign").output) == {"resigned": 0}


def test_bad_admin_input_is_one_clear_line(run) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    result = run("terminal", "code", "NOPE99", ok=False)
    assert result.exit_code == 1 and "no branch NOPE99" in result.output
    assert "Traceback" not in result.output
    result = run("staff", "set", "x", "--name", "x", "--role", "cashier", "--pin", "12", ok=False)
    assert result.exit_code == 1 and "PIN must be 4-8 digits" in result.output
    result = run("rules", "set", ok=False)
    assert result.exit_code == 2
    result = run("flags", "resolve", "999999", "--by", "me", ok=False)
    assert result.exit_code == 1 and "no flag 999999" in result.output


def test_sqlite_demo_seeds_and_syncs(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path / "demo")
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    info = seed_demo(engine, settings)
    assert info.branch == DEMO_BRANCH and len(info.enrollment_codes) == 2
    with TestClient(create_app(settings, engine)) as http:
        a, b = Terminal(http), Terminal(http)
        assert a.enroll(info.enrollment_codes[0]).status_code == 200
        assert b.enroll(info.enrollment_codes[1]).status_code == 200
        assert {s["id"] for s in a.snapshot["staff"]} == {"cashier1", "manager1"}  # type: ignore[index]
        member = a.member()
        a.upload_ok([member, a.earn(member["member"]["id"], 250_000)])
        a.redeem(member["member"]["id"], 60)
        b.redeem(member["member"]["id"], 60)
        a.upload_ok([a.outbox[-1]])
        flags = b.upload_ok([b.outbox[-1]])["flags"]
        assert [f["details"]["shortfall"] for f in flags if f["kind"] == "overdraft"] == [20]
        state = [c["member"] for c in b.pull_all() if c["type"] == "member"][-1]
        assert state["balance"] == 0 and state["member_code"].startswith("LM1:DEMO1:")
    engine.dispose()
