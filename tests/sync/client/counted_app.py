"""The real server app for a ``uvicorn`` process in client tests, with the requests it serves written down: each
request's method and path is appended to the file named by ``LOYALTY_TEST_REQUEST_LOG``; with
``LOYALTY_TEST_WITHOUT_SYNC=1`` the app lacks the one route ``POST /v1/sync`` (a server of before protocol 1.3).

``uvicorn --factory tests.sync.client.counted_app:app_from_env``."""

from __future__ import annotations

import os
from typing import Any

from sync.server import app as server_app


def app_from_env() -> Any:
    app = server_app.app_from_env()
    if os.environ.get("LOYALTY_TEST_WITHOUT_SYNC") == "1":
        app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) != "/v1/sync"]
    log_path = os.environ["LOYALTY_TEST_REQUEST_LOG"]

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            with open(log_path, "a", encoding="utf-8") as fh:
                fh.write(f"{scope['method']} {scope['path']}\n")
        await app(scope, receive, send)

    return counted
