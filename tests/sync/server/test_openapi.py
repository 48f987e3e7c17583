"""The API contract: the committed OpenAPI snapshot, and schemathesis fuzzing with no 5xx on any input."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine

from sync import protocol as p
from sync.server.app import create_app
from sync.server.cli import OPENAPI_SNAPSHOT, openapi_text
from sync.server.config import Settings
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres


def test_openapi_document_matches_the_committed_snapshot() -> None:
    current = openapi_text()
    committed = OPENAPI_SNAPSHOT.read_text(encoding="utf-8")
    assert json.loads(current) == json.loads(committed), (
        "The server's API changed. If intended, update the snapshot with `loyalty-server openapi --write`, "
        "bump docs/sync-protocol.md, and tell the sync client's owner.")
    doc = json.loads(committed)
    for path in ("/v1/upload", "/v1/changes", "/v1/enroll", "/v1/reservations"):
        assert path in doc["paths"]


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine)


@pytest.fixture(scope="module")
def fuzz_auth(fuzz_app: FastAPI, enroll_code: Callable[[], str]) -> dict[str, str]:
    with TestClient(fuzz_app) as http:
        t = Terminal(http)
        assert t.enroll(enroll_code()).status_code == 200
        member = t.member()
        t.upload_ok([member, t.earn(member["member"]["id"], 100_000)])
        return t.auth


def _fuzz_one(case, fuzz_auth: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    if case.path.startswith("/admin"):
        headers = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
        if case.path.endswith("/revoke"):
            headers = {}  # never revoke the fuzzing terminal itself
    elif case.path == "/v1/credential":
        headers = {}  # a valid rotation would lock the fuzzing terminal out of the remaining operations
    else:
        headers = {**fuzz_auth}
    headers.update({k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"})
    headers.setdefault(p.PROTOCOL_HEADER, "1")
    response = case.call(headers=headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"error", "server_time"} and body["error"]["code"], body


def test_no_input_makes_the_server_fail(fuzz_app: FastAPI, fuzz_auth: dict[str, str]) -> None:
    """schemathesis cases for every operation, sent with a valid terminal (or admin) credential so that they
    get past authentication into validation and the use cases. Kept small for CI (derandomized)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case) -> None:  # type: ignore[no-untyped-def]
            _fuzz_one(case, fuzz_auth)

        fuzz()
    assert operations >= 20


def test_garbage_bodies_get_4xx_with_a_code(client: TestClient, fuzz_auth: dict[str, str]) -> None:
    for path in ("/v1/upload", "/v1/enroll", "/v1/reservations"):
        for body in (b"", b"{", b"[]", b'{"records": "x"}', "ยินดี".encode(), b"\xff\xfe"):
            r = client.post(path, content=body, headers={**fuzz_auth, "Content-Type": "application/json"})
            assert 400 <= r.status_code < 500, (path, body, r.text)
            assert r.json()["error"]["code"]
    assert client.get("/v1/changes", params={"cursor": -1}, headers=fuzz_auth).status_code == 422
    assert client.get("/v1/changes", params={"limit": 10**9}, headers=fuzz_auth).status_code == 422
    assert httpx.codes.is_client_error(client.get("/nope").status_code)
