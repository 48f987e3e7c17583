"""A process that is nothing but the server settles its heap after start-up (``gc.freeze``), so a full garbage
collection walks what requests left behind, not the ~140,000 objects start-up made (a 130 ms pause in a burst,
docs/scaling.md); an app made inside another process (tests, tools) leaves that process's collector alone."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync.server.app import create_app
from sync.server.config import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # this test process makes many apps: none of them is kept for good


def test_a_server_process_freezes_what_start_up_made(settings: Settings, engine: Engine, unfrozen: None) -> None:
    app = create_app(settings, engine, own_process=True)
    with TestClient(app) as client:
        assert client.get("/v1/hello").status_code == 200
        assert gc.get_freeze_count() > 10_000


def test_an_app_made_in_another_process_leaves_its_collector_alone(settings: Settings, engine: Engine,
                                                                    unfrozen: None) -> None:
    app = create_app(settings, engine)
    with TestClient(app) as client:
        assert client.get("/v1/hello").status_code == 200
        assert gc.get_freeze_count() == 0
