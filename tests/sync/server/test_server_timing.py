"""``Server-Timing`` (``LOYALTY_SERVER_TIMING``): off by default; when on, each /v1 response says where its time
went inside the server (what bench/bench_sync_load.py reads to tell server time from queueing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync.server.app import create_app
from sync.server.config import Settings
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres


def phases(response: httpx.Response) -> dict[str, float]:
    out = {}
    for part in response.headers["server-timing"].split(","):
        name, _, value = part.strip().partition(";dur=")
        out[name] = float(value)
    return out


def test_server_timing_is_off_by_default_and_names_each_phase_when_on(
        client: TestClient, settings: Settings, engine: Engine, new_terminal: Callable[[httpx.Client], Terminal],
        monkeypatch: pytest.MonkeyPatch) -> None:
    t = new_terminal(client)
    plain = t.upload([t.member()])
    assert plain.status_code == 200 and "server-timing" not in plain.headers
    monkeypatch.setenv("LOYALTY_SERVER_TIMING", "1")
    monkeypatch.setenv("LOYALTY_DATABASE_URL", settings.database_url)
    assert Settings.from_env().server_timing
    with TestClient(create_app(replace(settings, server_timing=True), engine)) as timed:
        t = new_terminal(timed)  # enrolled after the process loaded the credentials it holds
        member = t.member()
        up = t.upload([member, t.earn(member["member"]["id"], 10_000)])
        assert up.status_code == 200, up.text
        got = phases(up)
        assert {"auth", "upload", "pool", "app"} <= set(got)  # the door asked the database once...
        assert got["app"] >= got["upload"] > 0
        again = t.upload([t.earn(member["member"]["id"], 10_000)])
        assert {"upload", "app"} <= set(phases(again)) and "auth" not in phases(again)  # ...then held it
        pull = timed.get("/v1/changes", headers=t.auth, params={"cursor": 0})
        assert pull.status_code == 200
        assert {"changes", "pool", "app"} <= set(phases(pull)) and "upload" not in phases(pull)
        refused = timed.get("/v1/changes", headers={**t.auth, "Authorization": "Bearer nobody.x"})
        assert refused.status_code == 401 and "changes" in phases(refused)


def test_a_bad_server_timing_setting_is_refused_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                                              settings: Settings) -> None:
    monkeypatch.setenv("LOYALTY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LOYALTY_SERVER_TIMING", "yes")
    with pytest.raises(ValueError, match="LOYALTY_SERVER_TIMING must be a whole number from 0 to 1"):
        Settings.from_env()
