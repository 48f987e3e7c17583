"""A real HTTP proxy on loopback between a terminal and the server, that loses answers on purpose: the server
does the work, the terminal never hears back (the connection drops: a network failure to the terminal)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class LosingProxy:
    """Forwards every request to ``target``. The answer is lost to the first request to each path in
    ``lose_once``, and to every request whose path starts with one of ``lose`` (a set the test may change at any
    time). ``lost`` lists the paths whose answers were lost, ``seen`` every (method, path) forwarded."""

    def __init__(self, target: str, lose_once: set[str] | None = None) -> None:
        self.lose_once = set(lose_once or ())
        self.lose: set[str] = set()
        self.lost: list[str] = []
        self.seen: list[tuple[str, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = httpx.request(self.command, target + self.path, content=body, headers=headers, timeout=30)
                path = self.path.split("?")[0]
                proxy.seen.append((self.command, path))
                once = path in proxy.lose_once and path not in proxy.lost
                if once or any(path.startswith(prefix) for prefix in proxy.lose):
                    proxy.lost.append(path)
                    self.close_connection = True  # the server committed; its answer never arrives
                    return
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
